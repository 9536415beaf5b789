import Testing

@testable import Reader

@Suite("Reader: the key table behind every read")
struct KeyTableTests {
    @Test("finds every key among thousands, and nothing else")
    func lookups() {
        let keys =
            (0..<5000).map { "option.\($0 % 7).name-\($0)" } + ["", "é", "ключ", String(repeating: "x", count: 300)]
        let table = KeyTable(keys.enumerated().map { (key: $0.element, value: $0.offset) })
        #expect(table.count == keys.count)
        for (index, key) in keys.enumerated() { #expect(table[key] == index, "\(key)") }
        for missing in ["option.0.name-5000", "option", "option.1.name-1 ", "x", String(repeating: "x", count: 299)] {
            #expect(table[missing] == nil, "\(missing)")
        }
    }

    @Test("a key given twice keeps its last value, as the later layer wins")
    func lastWins() {
        let table = KeyTable([(key: "a", value: 1), (key: "b", value: 2), (key: "a", value: 3)])
        #expect(table.count == 2)
        #expect(table["a"] == 3 && table["b"] == 2)
        #expect(table.keys == ["a", "b"])
    }

    @Test("keys that differ only past the first eight bytes, or only in length, stay apart")
    func nearKeys() {
        let keys = ["abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefg", "abcdefgh\u{0}", "ABCDEFGH"]
        let table = KeyTable(keys.enumerated().map { (key: $0.element, value: $0.offset) })
        for (index, key) in keys.enumerated() { #expect(table[key] == index) }
    }

    @Test("an empty table answers nil")
    func empty() {
        let table = KeyTable<Int>([])
        #expect(table["anything"] == nil && table[""] == nil)
    }
}
