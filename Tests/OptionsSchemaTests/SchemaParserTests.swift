import Testing

@testable import OptionsSchema

@Suite("Schema language (meta-schema, reference §2.7–2.8)")
struct SchemaParserTests {
    @Test("loads a valid schema with every type")
    func validSchema() throws {
        let result = try parseSchema(
            schemaJSON(
                """
                "s": \(option("string", #""hello""#)),
                "i": \(option("integer", "42")),
                "n": \(option("number", "0.5")),
                "b": \(option("boolean", "false")),
                "a": \(option("array", "[1, 2]", extra: #""items": {"type": "integer"}"#)),
                "cfg": \(option("object", #"{"host": "localhost"}"#, extra: #""properties": {"host": {"type": "string"}, "debug": {"type": "boolean", "optional": true}}"#)),
                "d": \(option("object", "{}", extra: #""additionalProperties": {"type": "array", "items": {"type": "string"}}"#)),
                "feature.organizations:fury-mode": {"$ref": "#/definitions/Feature"}
                """))
        #expect(result.issues.isEmpty)
        let schema = try #require(result.schema)
        #expect(schema.options.count == 7)
        #expect(schema.options["a"]?.type == .array(.integer))
        #expect(schema.options["d"]?.type.description == "dict<array<string>>")
        #expect(
            schema.options["cfg"]?.type
                == .object(
                    ObjectShape(fields: [
                        Field(name: "host", type: .string), Field(name: "debug", type: .boolean, isOptional: true),
                    ])))
        #expect(schema.featureFlags["feature.organizations:fury-mode"] != nil)
        #expect(schema.declares("feature.organizations:fury-mode"))
        #expect(!schema.declares("feature.organizations:does-not-exist"))
        #expect(schema.options["feature.organizations:fury-mode"] == nil, "feature flags have no default")
        #expect(schema.options["i"]?.defaultValue.isSameValue(as: Node(.integer(42))) == true)
    }

    @Test("descriptions read back exactly: plain, empty, escaped, non-ASCII; and can be replaced")
    func descriptions() throws {
        let texts: [(json: String, text: String)] = [
            ("Rate limit for autofix runs.", "Rate limit for autofix runs."), ("", ""),
            (#"Line one\nline \"two\" \u00e9\ud83d\ude00 \\ end"#, "Line one\nline \"two\" é😀 \\ end"),
            ("Größe · 大小", "Größe · 大小"),
        ]
        let properties = texts.enumerated().map { index, entry in
            #""o\#(index)": {"type": "integer", "default": 1, "description": "\#(entry.json)"}"#
        }
        var schema = try #require(try parseSchema(schemaJSON(properties.joined(separator: ", "))).schema)
        for (index, entry) in texts.enumerated() { #expect(schema.options["o\(index)"]?.description == entry.text) }
        var option = try #require(schema.options["o0"])
        option.description = "replaced"
        schema.options.update(option)
        #expect(schema.options["o0"]?.description == "replaced")
        #expect(schema.options["o1"]?.description == "")
    }

    @Test(
        "keyword words: each constant is its keyword's bytes; a tape string's prefix word, at the end of a document too"
    )
    func keywordWords() throws {
        let keywords: [(UInt64, StaticString)] = [
            (Keyword.type, "type"), (Keyword.items, "items"), (Keyword.default, "default"),
            (Keyword.optional, "optional"), (Keyword.string, "string"), (Keyword.number, "number"),
            (Keyword.object, "object"), (Keyword.integer, "integer"), (Keyword.boolean, "boolean"),
            (Keyword.array, "array"),
        ]
        for (word, literal) in keywords { #expect(word == JSONTape.word(of: literal), "\(literal)") }
        // The last strings have no room after them for a whole eight-byte load.
        let tape = try JSONTape(Array(#"[1, "integers", "arrays", "x\u0041", "integer", "optional","a"]"#.utf8))
        let prefixes = tape.elements(of: tape.root).map { tape.plainStringPrefix($0) }
        #expect(prefixes[0].length == -1, "a number")
        #expect(prefixes[1] == (8, JSONTape.word(of: "integers")))
        #expect(prefixes[2].length == 6 && prefixes[2].word != Keyword.array, "a longer string is not the keyword")
        #expect(prefixes[3].length == -1, "escapes")
        #expect(prefixes[4] == (7, Keyword.integer))
        #expect(prefixes[5] == (8, Keyword.optional))
        #expect(prefixes[6] == (1, JSONTape.word(of: "a")))
    }

    @Test("descriptions of many options, outgrowing their store's first allocation, each read back whole")
    func manyDescriptions() throws {
        // Descriptions are most of this document, so the store that keeps them grows several times.
        let texts = (0..<300).map { index in String(repeating: "d\(index % 10)", count: (index * 37) % 250) }
        let properties = texts.enumerated().map { index, text in
            #""o\#(index)":{"type":"integer","default":1,"description":"\#(text)"}"#
        }
        let schema = try #require(try parseSchema(schemaJSON(properties.joined(separator: ","))).schema)
        for (index, text) in texts.enumerated() { #expect(schema.options["o\(index)"]?.description == text) }
    }

    @Test("multiple versions and an empty properties object load")
    func versions() throws {
        for version in [#""1.0""#, #""0.1""#, #""10.20""#, #""2.0""#] {
            #expect(try parseSchema(schemaJSON("", version: version)).schema != nil, "version \(version)")
        }
    }

    @Test(
        "rejects bad versions with the reference's wording",
        arguments: [
            (#""1""#, #"'version': "1" does not match "^[0-9]+\.[0-9]+$""#),
            (#""1.0.0""#, #"'version': "1.0.0" does not match "^[0-9]+\.[0-9]+$""#),
            ("1.0", #"'version': 1.0 is not of type "string""#),
        ])
    func badVersion(version: String, message: String) throws {
        let result = try parseSchema(schemaJSON("", version: version))
        #expect(result.schema == nil)
        #expect(errorMessages(result) == [message])
    }

    @Test("a missing version is a required property (test_load_schema_missing_version)")
    func missingVersion() throws {
        let result = try parseSchema(#"{"type": "object", "properties": {}}"#)
        #expect(errorMessages(result) == [#""version" is a required property"#])
        #expect(result.issues.first?.position == SourcePosition(line: 1, column: 1))
    }

    @Test("top-level keys are closed and type must be object")
    func topLevel() throws {
        let result = try parseSchema(
            #"{"version": "1.0", "type": "array", "title": "x", "properties": {}, "additionalProperties": 1}"#)
        #expect(
            Set(errorMessages(result)) == [
                #"'type': "object" was expected, found "array""#,
                "Additional properties are not allowed ('title' was unexpected)",
                #"'additionalProperties': 1 is not of type "boolean""#,
            ])
    }

    @Test("reports every missing required key of an option, not just the first")
    func missingKeys() throws {
        let result = try parseSchema(schemaJSON(#""x": {"type": "string"}"#))
        #expect(
            errorMessages(result) == [
                #"option 'x': "default" is a required property"#, #"option 'x': "description" is a required property"#,
            ])
    }

    @Test("rejects keys an option cannot have (test_extra_properties)")
    func extraProperty() throws {
        let result = try parseSchema(schemaJSON(#""x": \#(option("string", #""a""#, extra: #""extra": "property""#))"#))
        #expect(errorMessages(result) == ["option 'x': Additional properties are not allowed ('extra' was unexpected)"])
    }

    @Test("rejects unknown types, type arrays and null", arguments: [#""null""#, #"["string", "null"]"#, #""float""#])
    func badType(type: String) throws {
        let result = try parseSchema(schemaJSON(#""x": {"type": \#(type), "default": "a", "description": ""}"#))
        #expect(result.schema == nil)
        #expect(errorMessages(result).first?.contains("is not one of \"string\", \"integer\"") == true)
    }

    @Test("an array needs items (test_missing_items_object_rejection)")
    func arrayNeedsItems() throws {
        let result = try parseSchema(schemaJSON(#""x": \#(option("array", "[]"))"#))
        #expect(errorMessages(result) == [#"option 'x': "items" is a required property"#])
    }

    @Test("malformed items are rejected (test_malformed_items_rejection)")
    func malformedItems() throws {
        let result = try parseSchema(schemaJSON(#""x": \#(option("array", "[]", extra: #""items": {"type": ""}"#))"#))
        #expect(result.schema == nil)
    }

    @Test("items and additionalProperties must be objects")
    func itemsMustBeObjects() throws {
        let result = try parseSchema(
            schemaJSON(#""x": \#(option("object", "{}", extra: #""additionalProperties": true"#))"#))
        #expect(errorMessages(result) == [#"option 'x': 'additionalProperties': true is not of type "object""#])
    }

    @Test("an object needs properties or additionalProperties (test_object_missing_properties_rejected)")
    func objectNeedsShape() throws {
        let result = try parseSchema(schemaJSON(#""x": \#(option("object", "{}"))"#))
        #expect(errorMessages(result) == [#"option 'x': "properties" is a required property"#])
    }

    @Test("array of objects needs item properties (test_array_of_objects_missing_items_properties_rejected)")
    func arrayOfObjectsNeedsProperties() throws {
        let result = try parseSchema(
            schemaJSON(#""x": \#(option("array", "[]", extra: #""items": {"type": "object"}"#))"#))
        #expect(errorMessages(result) == [#"option 'x': 'items': "properties" is a required property"#])
    }

    @Test(
        "nested value types may not have description or default, and must be well formed (test_meta_schema_rejects_malformed_nested_value_types)"
    )
    func nestedTypesAreStrict() throws {
        for nested in [
            #"{"type": "object"}"#, #"{"type": "array"}"#, #"{"type": "string", "bogus": 1}"#,
            #"{"type": "string", "description": "x"}"#,
        ] {
            let result = try parseSchema(
                schemaJSON(#""x": \#(option("object", "{}", extra: #""additionalProperties": \#(nested)"#))"#))
            #expect(result.schema == nil, "\(nested) should be rejected")
        }
        let missingType = try parseSchema(
            schemaJSON(#""x": \#(option("array", "[]", extra: #""items": {"optional": true}"#))"#))
        #expect(errorMessages(missingType) == [#"option 'x': 'items': "type" is a required property"#])
    }

    @Test("optional must be a boolean")
    func optionalBoolean() throws {
        let result = try parseSchema(
            schemaJSON(
                #""x": \#(option("object", #"{"a": "x"}"#, extra: #""properties": {"a": {"type": "string", "optional": "yes"}}"#))"#
            ))
        #expect(errorMessages(result) == [#"option 'x': field 'a': 'optional': "yes" is not of type "boolean""#])
    }

    @Test("types nest arbitrarily (dict of array of dict)")
    func deepNesting() throws {
        let result = try parseSchema(
            schemaJSON(
                #""deep": \#(option("object", "{}", extra: #""additionalProperties": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "integer"}}}"#))"#
            ))
        let type = try #require(result.schema?.options["deep"]?.type)
        #expect(type.description == "dict<array<dict<integer>>>")
    }

    @Test(
        "defaults must match their own type (§2.8)",
        arguments: [
            (
                option("integer", #""not-a-number""#),
                #"Property 'opt': default value does not match schema: 'opt': "not-a-number" is not of type "integer""#
            ),
            (
                option("array", "[1, 2, 3.3]", extra: #""items": {"type": "integer"}"#),
                #"Property 'opt': default value does not match schema: 'opt/2': 3.3 is not of type "integer""#
            ),
            (
                option("array", #"[1, 2, "uh oh!"]"#, extra: #""items": {"type": "integer"}"#),
                #"Property 'opt': default value does not match schema: 'opt/2': "uh oh!" is not of type "integer""#
            ),
            (
                option(
                    "object", #"{"host": "localhost"}"#,
                    extra: #""properties": {"host": {"type": "string"}, "port": {"type": "integer"}}"#),
                #"Property 'opt': default value does not match schema: 'opt': "port" is a required property"#
            ),
            (
                option(
                    "object", #"{"host": "h", "extra": "field"}"#, extra: #""properties": {"host": {"type": "string"}}"#
                ),
                "Property 'opt': default value does not match schema: 'opt': Additional properties are not allowed ('extra' was unexpected)"
            ),
            (
                option(
                    "object", #"{"host": "h", "debug": "not-a-bool"}"#,
                    extra:
                        #""properties": {"host": {"type": "string"}, "debug": {"type": "boolean", "optional": true}}"#),
                #"Property 'opt': default value does not match schema: 'opt/debug': "not-a-bool" is not of type "boolean""#
            ),
            (
                option(
                    "object", #"{"port": 1, "debug": true}"#,
                    extra:
                        #""properties": {"host": {"type": "string"}, "port": {"type": "integer"}, "debug": {"type": "boolean", "optional": true}}"#
                ), #"Property 'opt': default value does not match schema: 'opt': "host" is a required property"#
            ),
            (
                option(
                    "array", #"[{"url": "u", "weight": "not-a-number"}]"#,
                    extra:
                        #""items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}}}"#
                ),
                #"Property 'opt': default value does not match schema: 'opt/0/weight': "not-a-number" is not of type "integer""#
            ),
            (
                option("string", "null"),
                #"Property 'opt': default value does not match schema: 'opt': null is not of type "string""#
            ),
        ])
    func badDefaults(definition: String, message: String) throws {
        let result = try parseSchema(schemaJSON(#""opt": \#(definition)"#))
        #expect(result.schema == nil)
        #expect(errorMessages(result) == [message])
        #expect(result.issues.first?.code == .invalidDefault)
    }

    @Test(
        "accepts defaults that match (optional fields, empty arrays, integral floats)",
        arguments: [
            option(
                "object", #"{"host": "localhost"}"#,
                extra: #""properties": {"host": {"type": "string"}, "debug": {"type": "boolean", "optional": true}}"#),
            option(
                "object", #"{"host": "localhost", "debug": true}"#,
                extra: #""properties": {"host": {"type": "string"}, "debug": {"type": "boolean", "optional": true}}"#),
            option("array", "[]", extra: #""items": {"type": "object", "properties": {"url": {"type": "string"}}}"#),
            option(
                "array", #"[{"url": "https://a.example.com", "weight": 1}]"#,
                extra:
                    #""items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}}}"#
            ),
            option("integer", "3.0"), option("number", "1"),
            option("array", "[true]", extra: #""items": {"type": "boolean"}"#),
            option("array", "[1.2]", extra: #""items": {"type": "number"}"#), option("string", #""""#),
        ])
    func goodDefaults(definition: String) throws {
        let result = try parseSchema(schemaJSON(#""opt": \#(definition)"#))
        #expect(result.issues.isEmpty, "\(errorMessages(result))")
    }

    @Test(
        "feature flags are exactly a $ref to the Feature definition",
        arguments: [
            (##"{"$ref": "#/definitions/Feature"}"##, nil),
            (
                ##"{"nope": "nope"}"##,
                "feature flag 'feature.x': Additional properties are not allowed ('nope' was unexpected)"
            ),
            (
                ##"{"$ref": "#/definitions/Owner"}"##,
                ##"feature flag 'feature.x': "#/definitions/Owner" does not match "#/definitions/Feature""##
            ),
            (
                ##"{"$ref": "#/definitions/Feature", "description": "x"}"##,
                "feature flag 'feature.x': Additional properties are not allowed ('description' was unexpected)"
            ),
            (
                ##"{"type": "boolean", "default": false, "description": "x"}"##,
                "feature flag 'feature.x': Additional properties are not allowed ('type' was unexpected)"
            ),
            (
                ##"{"$ref": "foo#/definitions/Feature"}"##,
                ##"feature flag 'feature.x': Failed to compile validator: '$ref' must be exactly "#/definitions/Feature", found "foo#/definitions/Feature""##
            ),
        ] as [(String, String?)])
    func featureReferences(definition: String, message: String?) throws {
        let result = try parseSchema(schemaJSON(#""feature.x": "# + definition))
        if let message {
            #expect(result.schema == nil)
            #expect(errorMessages(result).first == message)
        } else {
            #expect(result.issues.isEmpty)
        }
    }

    @Test("keys that only look like features are regular options")
    func notFeatures() throws {
        let result = try parseSchema(
            schemaJSON(
                #""feature": \#(option("string", #""a""#)), "Feature.x": \#(option("string", #""a""#)), "": \#(option("string", #""a""#))"#
            ))
        #expect(result.schema?.options.count == 3)
    }

    @Test("every error is reported at its key or value")
    func positions() throws {
        let json = """
            {
              "version": "1.0",
              "type": "object",
              "properties": {
                "a": {"type": "integer", "default": "x", "description": "d"},
                "b": {"type": "string", "default": "", "description": 5}
              }
            }
            """
        let result = try parseSchema(json)
        let positions = result.issues.map { $0.position }
        #expect(positions == [SourcePosition(line: 5, column: 41), SourcePosition(line: 6, column: 59)])
    }

    @Test("duplicate keys warn and the last one wins, as in the reference")
    func duplicateKeys() throws {
        let result = try parseSchema(
            schemaJSON(#""a": \#(option("string", #""x""#)), "a": \#(option("integer", "1"))"#))
        #expect(result.schema?.options["a"]?.type == .integer)
        #expect(result.issues.map(\.severity) == [.warning])
        #expect(result.issues.first?.code == .duplicateKey)
    }

    @Test("an option defined twice is checked in its last definition only; the warning names the first")
    func duplicateKeysLastDefinitionOnly() throws {
        // The first definition's default does not match its type: serde_json keeps the second, so no error.
        let json = """
            {
              "version": "1.0",
              "type": "object",
              "properties": {
                "a": {"type": "integer", "default": "x", "description": "d"},
                "a": {"type": "integer", "default": 1, "description": "d"},
                "b": {"type": "string", "default": "", "description": "d"},
                "b": {"type": "string", "default": 2, "description": "d"},
                "feature.f": {"$ref": "nope"},
                "feature.f": {"$ref": "#/definitions/Feature"}
              }
            }
            """
        let result = try parseSchema(json)
        #expect(result.schema == nil)
        let issues = result.issues.map {
            "\($0.severity) \($0.position.map { "\($0.line):\($0.column)" } ?? "") \($0.message)"
        }
        #expect(
            issues == [
                "warning 6:5 duplicate key 'a' in 'properties'; the last one wins, as in sentry-options (first at 5:5)",
                "error 8:40 Property 'b': default value does not match schema: 'b': 2 is not of type \"string\"",
                "warning 8:5 duplicate key 'b' in 'properties'; the last one wins, as in sentry-options (first at 7:5)",
                "warning 10:5 duplicate key 'feature.f' in 'properties'; the last one wins, as in sentry-options "
                    + "(first at 9:5)",
            ])
        let fixed = try parseSchema(json.replacing("\"default\": 2", with: "\"default\": \"\""))
        #expect(fixed.issues.allSatisfy { $0.severity == .warning })
        #expect(fixed.schema?.options["a"]?.type == .integer)
        #expect(fixed.schema?.featureFlags.keys.contains("feature.f") == true)
    }

    @Test("a non-object document is rejected")
    func notAnObject() throws {
        #expect(errorMessages(try parseSchema("[]")) == [#"[] is not of type "object""#])
    }
}

@Suite("Kubernetes names (DNS-1123 labels)")
struct KubernetesNameTests {
    @Test(
        "accepts valid labels",
        arguments: ["relay", "my-service", "a1-b2-c3", String(repeating: "a", count: 63), "a", "1abc"])
    func valid(name: String) {
        #expect(KubernetesName.problem(with: name, label: "namespace name") == nil)
    }

    @Test(
        "rejects invalid labels with the reference's message",
        arguments: [
            (
                "MyService",
                "Invalid namespace name 'MyService': character 'M' not allowed. Use lowercase alphanumeric or '-'"
            ),
            (
                "my_service",
                "Invalid namespace name 'my_service': character '_' not allowed. Use lowercase alphanumeric or '-'"
            ),
            ("-service", "Invalid namespace name '-service': must start and end with alphanumeric"),
            ("a-", "Invalid namespace name 'a-': must start and end with alphanumeric"),
            (
                "my.service",
                "Invalid namespace name 'my.service': character '.' not allowed. Use lowercase alphanumeric or '-'"
            ),
            (
                String(repeating: "a", count: 64),
                "Invalid namespace name '\(String(repeating: "a", count: 64))': must be at most 63 characters"
            ),
            ("", "Invalid namespace name '': must start and end with alphanumeric"),
        ])
    func invalid(name: String, message: String) {
        #expect(KubernetesName.problem(with: name, label: "namespace name") == message)
    }
}
