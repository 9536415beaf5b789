import OptionsSchema
import Testing

@testable import Pipeline

@Suite("ValueDiffer: the smallest changes inside a value, by path")
struct ValueDifferTests {
    func json(_ text: String) throws -> Node { try JSONReader.parse(Array(text.utf8)) }

    func changes(_ before: String, _ after: String) throws -> [FieldChange] {
        ValueDiffer.changes(from: try json(before), to: try json(after))
    }

    @Test("equal values have no changes, whatever the key order")
    func equal() throws {
        #expect(try changes(#"{"a":1,"b":[1,2]}"#, #"{"b":[1,2],"a":1}"#) == [])
        #expect(try changes("3", "3") == [])
    }

    @Test("a scalar or a change of type is one change of the whole value")
    func scalars() throws {
        #expect(try changes("10", "50") == [FieldChange(path: "", kind: .changed(before: "10", after: "50"))])
        #expect(try changes("1", "1.0") == [FieldChange(path: "", kind: .changed(before: "1", after: "1.0"))])
        #expect(
            try changes(#"{"a":1}"#, "[1]") == [
                FieldChange(path: "", kind: .changed(before: #"{"a":1}"#, after: "[1]"))
            ])
    }

    @Test("a struct: a removed field, an added one and a changed one, each at its path")
    func structs() throws {
        let before = #"{"pool":{"size":10,"statement_timeout_ms":30000},"host":"db"}"#
        let after = #"{"pool":{"size":20},"host":"db","replica":"db-ro"}"#
        #expect(
            try changes(before, after) == [
                FieldChange(path: ".pool.size", kind: .changed(before: "10", after: "20")),
                FieldChange(path: ".pool.statement_timeout_ms", kind: .removed("30000")),
                FieldChange(path: ".replica", kind: .added(#""db-ro""#)),
            ])
    }

    @Test("dict keys that are not plain words are quoted")
    func quotedKeys() throws {
        #expect(
            try changes(#"{"a.b":1,"x y":2,"ingest-events":3}"#, #"{"a.b":2,"x y":3,"ingest-events":4}"#).map(\.path)
                == [#"["a.b"]"#, ".ingest-events", #"["x y"]"#])
    }

    @Test("arrays of scalars: members added and removed, order aside; a pure reordering says so")
    func scalarArrays() throws {
        #expect(
            try changes("[1,12,1267915]", "[1,1267915,447951]") == [
                FieldChange(path: "", kind: .members(added: ["447951"], removed: ["12"]))
            ])
        #expect(
            try changes(#"["a","b"]"#, #"["b","a"]"#) == [
                FieldChange(path: "", kind: .reordered(before: [#""a""#, #""b""#], after: [#""b""#, #""a""#]))
            ])
        #expect(
            try changes("[1,1,2]", "[1,2]") == [FieldChange(path: "", kind: .members(added: [], removed: ["1"]))],
            "repeats count")
    }

    @Test("arrays of objects with a natural key are matched by it; feature-flag segments by name")
    func keyedArrays() throws {
        let before = """
            {"enabled":true,"segments":[{"name":"early adopters","rollout":10},{"name":"staff","rollout":100}]}
            """
        let after = """
            {"enabled":true,"segments":[{"name":"staff","rollout":100},{"name":"early adopters","rollout":50},
            {"name":"beta","rollout":5}]}
            """
        #expect(
            try changes(before, after) == [
                FieldChange(path: ".segments[early adopters].rollout", kind: .changed(before: "10", after: "50")),
                FieldChange(path: ".segments[beta]", kind: .added(#"{"name":"beta","rollout":5}"#)),
                FieldChange(
                    path: ".segments",
                    kind: .reordered(before: ["early adopters", "staff"], after: ["staff", "early adopters"])),
            ])
        #expect(
            try changes(#"[{"id":1,"w":1},{"id":2,"w":1}]"#, #"[{"id":2,"w":1}]"#) == [
                FieldChange(path: "[1]", kind: .removed(#"{"id":1,"w":1}"#))
            ], "integer ids")
        #expect(
            try changes(#"[{"name":"a.b","w":1}]"#, #"[{"name":"a.b","w":2}]"#).map(\.path) == [#"["a.b"].w"#])
    }

    @Test("arrays of objects without a unique natural key are matched by position")
    func positionalArrays() throws {
        let before = #"[{"url":"a","weight":1},{"url":"b","weight":1}]"#
        let after = #"[{"url":"a","weight":1},{"url":"b","weight":3},{"url":"c","weight":1}]"#
        #expect(
            try changes(before, after) == [
                FieldChange(path: "[1].weight", kind: .changed(before: "1", after: "3")),
                FieldChange(path: "[2]", kind: .added(#"{"url":"c","weight":1}"#)),
            ])
        #expect(
            try changes(#"[{"name":"a"},{"name":"a"}]"#, #"[{"name":"a"},{"name":"b"}]"#).map(\.path) == ["[1].name"],
            "a repeated name is no key")
    }

    @Test("nothing is cut: long values are kept whole")
    func wholeValues() throws {
        let long = String(repeating: "x", count: 500)
        let result = try changes(#"{"a":"\#(long)"}"#, #"{"a":"y"}"#)
        #expect(result == [FieldChange(path: ".a", kind: .changed(before: "\"\(long)\"", after: #""y""#))])
    }
}
