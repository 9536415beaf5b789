import Testing

@testable import OptionsSchema

@Suite("The key index and option table behind schema lookups and Reader reads")
struct OptionTableTests {
    static func option(_ key: String, _ defaultValue: Int64 = 0) -> OptionSchema {
        OptionSchema(
            key: key, type: .integer, defaultValue: Node(.integer(defaultValue)), description: "d",
            position: SourcePosition(line: 1, column: 1))
    }

    @Test("finds every key among thousands, growing from no capacity, and nothing else")
    func lookups() {
        let keys =
            (0..<5000).map { "option.\($0 % 7).name-\($0)" } + ["", "é", "ключ", String(repeating: "x", count: 300)]
        var index = KeyIndex()
        for (number, key) in keys.enumerated() {
            let (entry, inserted) = index.insert(key)
            #expect(entry == number && inserted, "\(key)")
        }
        #expect(index.count == keys.count)
        for (number, key) in keys.enumerated() { #expect(index.entry(for: key) == number, "\(key)") }
        for missing in ["option.0.name-5000", "option", "option.1.name-1 ", "x", String(repeating: "x", count: 299)] {
            #expect(index.entry(for: missing) == nil, "\(missing)")
        }
    }

    @Test("a frozen index answers as the index it was made from; an empty one answers nil")
    func frozen() {
        let keys = (0..<3000).map { "k\($0 % 13).\(String(repeating: "x", count: $0 % 40))-\($0)" } + ["", "é"]
        var index = KeyIndex()
        for key in keys { index.insert(key) }
        let frozen = index.frozen()
        for (number, key) in keys.enumerated() { #expect(frozen.entry(for: key) == number, "\(key)") }
        for missing in ["k0.-0 ", "k1", "é ", "x"] { #expect(frozen.entry(for: missing) == nil, "\(missing)") }
        #expect(KeyIndex().frozen().entry(for: "") == nil)
        #expect(
            KeyIndex.sameBytes("abcdefghij", "abcdefghij", 10) && !KeyIndex.sameBytes("abcdefghij", "abcdefghik", 10))
        #expect(!KeyIndex.sameBytes("abcdefgh", "abcdefgX", 8) && KeyIndex.sameBytes("abc", "abd", 2))
    }

    @Test("sameBytes finds a difference at every offset of every length up to 40, the overlapping last word too")
    func sameBytesEveryOffset() {
        let base = (0..<40).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        for count in 0...40 {
            #expect(KeyIndex.sameBytes(base, base.map { $0 }, count), "length \(count)")
            for offset in 0..<count {
                var other = base
                other[offset] ^= 0x20
                #expect(!KeyIndex.sameBytes(base, other, count), "length \(count), offset \(offset)")
                // A difference past the length does not count.
                #expect(KeyIndex.sameBytes(base, other, offset), "length \(offset), difference at \(offset)")
            }
        }
    }

    @Test("inserting a key that is there returns its entry and adds nothing")
    func insertExisting() {
        var index = KeyIndex(capacity: 2)
        index.insert("a")
        index.insert("b")
        let again = index.insert("a")
        #expect(again.entry == 0 && !again.inserted)
        #expect(index.count == 2)
    }

    @Test("keys that differ only past the first eight bytes, or only in length, stay apart")
    func nearKeys() {
        let keys = ["abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefg", "abcdefgh\u{0}", "ABCDEFGH"]
        var index = KeyIndex()
        for key in keys { index.insert(key) }
        for (number, key) in keys.enumerated() { #expect(index.entry(for: key) == number) }
    }

    @Test("an empty index answers nil")
    func empty() {
        let index = KeyIndex()
        #expect(index.entry(for: "anything") == nil && index.entry(for: "") == nil && index.count == 0)
    }

    @Test("options keep document order; a repeated key keeps its first place and its last definition")
    func tableOrder() throws {
        var table = OptionTable()
        #expect(table.update(Self.option("b", 1)) == nil)
        #expect(table.update(Self.option("a", 2)) == nil)
        let replaced = table.update(Self.option("b", 3))
        #expect(replaced?.defaultValue.isSameValue(as: Node(.integer(1))) == true)
        #expect(table.keys == ["b", "a"])
        #expect(table.count == 2)
        #expect(table["b"]?.defaultValue.isSameValue(as: Node(.integer(3))) == true)
        #expect(table.position(of: "a") == 1 && table[1].key == "a")
        #expect(table["c"] == nil && table.position(of: "c") == nil)
        let built = OptionTable([Self.option("x", 1), Self.option("y"), Self.option("x", 2)])
        #expect(built.map(\.key) == ["x", "y"])
        #expect(built["x"]?.defaultValue.isSameValue(as: Node(.integer(2))) == true)
    }

    @Test("the schema reader builds the table in document order")
    func parsedOrder() throws {
        let properties = (0..<40).reversed().map {
            #""opt\#($0)": {"type": "integer", "default": \#($0), "description": "d"}"#
        }
        let json = #"{"version": "1.0", "type": "object", "properties": {"# + properties.joined(separator: ", ") + "}}"
        let schema = try #require(try SchemaParser.parse(json: Array(json.utf8), namespace: "n").schema)
        #expect(schema.options.keys == (0..<40).reversed().map { "opt\($0)" })
        for option in schema.options {
            #expect(option.defaultValue.isSameValue(as: Node(.integer(Int64(option.key.dropFirst(3))!))))
        }
    }
}
