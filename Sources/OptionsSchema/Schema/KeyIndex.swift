/// A hash index from short trusted keys (option keys, which come from a schema) to their entry numbers, in the
/// order the keys were first inserted.
///
/// `Dictionary<String, _>` hashes a key with SipHash, which alone costs about as much as a `Reader` read's whole
/// budget and a large share of reading a 500-option schema. This index hashes the key's UTF-8 bytes eight at a
/// time with a multiply-mix, probes linearly, and compares bytes only on a matching hash. It holds no values:
/// the owner keeps them in an array by entry number (`OptionTable`, the `Reader`'s snapshots).
@usableFromInline
package struct KeyIndex: Sendable {
    /// Every key's UTF-8 bytes, one after the other.
    @usableFromInline var keyBytes: [UInt8] = []
    /// Per slot: the entry number + 1 (0 = empty). The slot count is a power of two, at least twice the entries.
    @usableFromInline var slots: [Int32]
    /// Per entry: its hash, and where its key is in `keyBytes`.
    @usableFromInline var entries: [Entry] = []
    @usableFromInline var mask: Int

    /// An empty index with room for `capacity` keys before it grows.
    package init(capacity: Int = 0) {
        var slotCount = 8
        while slotCount < capacity * 2 { slotCount *= 2 }
        slots = [Int32](repeating: 0, count: slotCount)
        mask = slotCount - 1
        entries.reserveCapacity(capacity)
        keyBytes.reserveCapacity(capacity * 32)
    }

    /// The number of keys.
    package var count: Int { entries.count }

    /// One key: its hash, and where its bytes are in `keyBytes`.
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var hash: UInt64
        @usableFromInline var start: Int32
        @usableFromInline var length: Int32

        @usableFromInline
        init(hash: UInt64, start: Int32, length: Int32) {
            self.hash = hash
            self.start = start
            self.length = length
        }
    }

    /// The entry number of the key with these UTF-8 bytes, or `nil`.
    @inlinable @inline(__always)
    package func entry(forUTF8 bytes: UnsafeRawBufferPointer) -> Int? {
        probe(bytes, hash: Self.hash(bytes)).entry
    }

    /// The entry number of `key`, or `nil`.
    @inlinable @inline(__always)
    package func entry(for key: String) -> Int? {
        Self.withBytes(of: key) { entry(forUTF8: $0) }
    }

    /// Adds `key` unless it is there; either way returns its entry number, and whether it was added.
    @discardableResult
    package mutating func insert(_ key: String) -> (entry: Int, inserted: Bool) {
        Self.withBytes(of: key) { insert(utf8: $0) }
    }

    /// Adds the key with these UTF-8 bytes unless it is there; either way returns its entry number, and whether
    /// it was added.
    package mutating func insert(utf8 bytes: UnsafeRawBufferPointer) -> (entry: Int, inserted: Bool) {
        let hash = Self.hash(bytes)
        let (slot, found) = probe(bytes, hash: hash)
        if let found { return (found, false) }
        let entry = entries.count
        slots[slot] = Int32(entry + 1)
        entries.append(Entry(hash: hash, start: Int32(keyBytes.count), length: Int32(bytes.count)))
        // As typed bytes: appending raw bytes went element by element.
        keyBytes.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        if entries.count * 2 > slots.count { grow() }
        return (entry, true)
    }

    /// Doubles the slots and places every entry again by its stored hash.
    private mutating func grow() {
        let slotCount = slots.count * 2
        mask = slotCount - 1
        var slots = [Int32](repeating: 0, count: slotCount)
        for (number, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(number + 1)
        }
        self.slots = slots
    }

    /// Where the key with these UTF-8 bytes and hash is: its entry, or else the empty slot where it would go.
    @inlinable @inline(__always)
    func probe(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, entry: Int?) {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keyBytes.withUnsafeBytes { keyBytes in
                    Self.probe(bytes, hash: hash, slots: slots, entries: entries, keyBytes: keyBytes, mask: mask)
                }
            }
        }
    }

    /// The probe itself, over the index's memory wherever it is (the arrays here, a `FrozenKeyIndex`'s own copy).
    @inlinable @inline(__always)
    static func probe(
        _ bytes: UnsafeRawBufferPointer, hash: UInt64, slots: UnsafeBufferPointer<Int32>,
        entries: UnsafeBufferPointer<Entry>, keyBytes: UnsafeRawBufferPointer, mask: Int
    ) -> (slot: Int, entry: Int?) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return (slot, nil) }
            let candidate = entries[stored &- 1]
            if candidate.hash == hash && Int(candidate.length) == bytes.count
                && (bytes.count == 0
                    || sameBytes(keyBytes.baseAddress! + Int(candidate.start), bytes.baseAddress!, bytes.count))
            {
                return (slot, stored &- 1)
            }
            slot = (slot &+ 1) & mask
        }
    }

    /// Runs `body` on the UTF-8 bytes of `key`: a native string's in place (no copy of the string, so no reference
    /// counting), any other's from a copy.
    @inlinable @inline(__always)
    static func withBytes<Result>(of key: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = key.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        var key = key
        return key.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the `count` bytes at `a` and at `b` are the same: eight at a time, inline (a call to `memcmp` was a
    /// tenth of a read). From eight bytes on, the last word is loaded whole, overlapping the one before, so the
    /// tail costs one comparison rather than a loop over its bytes.
    @inlinable @inline(__always)
    package static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        guard count >= 8 else {
            var offset = 0
            while offset < count {
                if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) {
                    return false
                }
                offset &+= 1
            }
            return true
        }
        var offset = 0
        while offset &+ 8 < count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset &+= 8
        }
        return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    }

    /// The index copied into memory of its own, for lookups without reference counting or bounds checks.
    package func frozen() -> FrozenKeyIndex { FrozenKeyIndex(self) }

    /// A 64-bit hash of `bytes`: eight bytes at a time, each word mixed with a multiply and a rotate; the length
    /// and the tail are folded in last. Not for untrusted keys (no seed).
    @inlinable @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state: UInt64 = 0x2545_F491_4F6C_DD1D ^ UInt64(truncatingIfNeeded: bytes.count)
        var offset = 0
        while offset &+ 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            state = (state ^ word) &* multiplier
            state = (state << 29) | (state >> 35)
            offset &+= 8
        }
        var tail: UInt64 = 0
        let remaining = bytes.count &- offset
        if remaining > 0 && bytes.count >= 8 {
            // The last eight bytes in one load, the ones already mixed in shifted out.
            tail =
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count &- 8, as: UInt64.self))
                &>> UInt64(8 &* (8 &- remaining))
        } else {
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) &<< shift
                shift &+= 8
                offset &+= 1
            }
        }
        state = (state ^ tail) &* multiplier
        state ^= state >> 32
        state = state &* multiplier
        return state ^ (state >> 29)
    }
}

/// A `KeyIndex` that no longer changes, in raw memory: a lookup touches no array (no reference counting, no
/// bounds or uniqueness checks). The `Reader` keeps one per schema for its reads.
@usableFromInline
package final class FrozenKeyIndex: @unchecked Sendable {
    @usableFromInline let slots: UnsafeMutableBufferPointer<Int32>
    @usableFromInline let entries: UnsafeMutableBufferPointer<KeyIndex.Entry>
    @usableFromInline let keyBytes: UnsafeMutableRawBufferPointer
    @usableFromInline let mask: Int

    init(_ index: KeyIndex) {
        slots = .allocate(capacity: index.slots.count)
        _ = slots.initialize(from: index.slots)
        entries = .allocate(capacity: max(index.entries.count, 1))
        _ = entries.initialize(from: index.entries)
        let keyBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(index.keyBytes.count, 1), alignment: 8)
        index.keyBytes.withUnsafeBytes { keyBytes.copyMemory(from: $0) }
        self.keyBytes = keyBytes
        mask = index.mask
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keyBytes.deallocate()
    }

    /// The entry number of `key`, or `nil`.
    @inlinable @inline(__always)
    package func entry(for key: String) -> Int? {
        KeyIndex.withBytes(of: key) { bytes in
            KeyIndex.probe(
                bytes, hash: KeyIndex.hash(bytes), slots: UnsafeBufferPointer(slots),
                entries: UnsafeBufferPointer(entries), keyBytes: UnsafeRawBufferPointer(keyBytes), mask: mask
            ).entry
        }
    }
}
