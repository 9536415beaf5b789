#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An immutable map from option keys to values, built once per snapshot and read on every option read.
///
/// `Dictionary<String, _>` hashes a key with SipHash, which alone costs about as much as the whole read budget;
/// option keys are short and trusted (they come from the schema), so this table hashes their UTF-8 bytes eight at
/// a time with a multiply-mix, probes linearly, and compares bytes only on a matching hash.
struct KeyTable<Value>: @unchecked Sendable {
    /// Every key's UTF-8 bytes, one after the other.
    private let keyBytes: [UInt8]
    /// Per slot: the entry's index + 1 (0 = empty).
    private let slots: [Int32]
    /// Per entry: its hash, where its key starts in `keyBytes` and how long it is.
    private let hashes: [UInt64]
    private let starts: [Int32]
    private let lengths: [Int32]
    /// Per entry: its key and its value.
    let keys: [String]
    let values: [Value]
    private let mask: Int

    init(_ pairs: [(key: String, value: Value)]) {
        var capacity = 8
        while capacity < pairs.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        self.mask = mask
        var slots = [Int32](repeating: 0, count: capacity)
        var keyBytes: [UInt8] = []
        var hashes: [UInt64] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        var values: [Value] = []
        var keys: [String] = []
        keyBytes.reserveCapacity(pairs.reduce(0) { $0 + $1.key.utf8.count })
        hashes.reserveCapacity(pairs.count)
        starts.reserveCapacity(pairs.count)
        lengths.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        keys.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            var key = key
            let (hash, found): (UInt64, Int?) = key.withUTF8 { bytes in
                let bytes = UnsafeRawBufferPointer(bytes)
                let hash = Self.hash(bytes)
                let (slot, entry) = Self.probe(
                    bytes, hash: hash, mask: mask, slots: slots, hashes: hashes, starts: starts, lengths: lengths,
                    keyBytes: keyBytes)
                if let entry { return (hash, entry) }
                slots[slot] = Int32(values.count + 1)
                starts.append(Int32(keyBytes.count))
                lengths.append(Int32(bytes.count))
                keyBytes.append(contentsOf: bytes)
                return (hash, nil)
            }
            if let found {
                values[found] = value
                continue
            }
            hashes.append(hash)
            keys.append(key)
            values.append(value)
        }
        self.slots = slots
        self.keyBytes = keyBytes
        self.hashes = hashes
        self.starts = starts
        self.lengths = lengths
        self.values = values
        self.keys = keys
    }

    /// The number of keys.
    var count: Int { values.count }

    /// The value for `key`, or `nil`.
    @inline(__always)
    subscript(key: String) -> Value? {
        var key = key
        return key.withUTF8 { bytes in
            guard let index = index(of: UnsafeRawBufferPointer(bytes)) else { return nil }
            return values[index]
        }
    }

    /// The entry index of the key with these UTF-8 bytes.
    @inline(__always)
    func index(of bytes: UnsafeRawBufferPointer) -> Int? {
        Self.probe(
            bytes, hash: Self.hash(bytes), mask: mask, slots: slots, hashes: hashes, starts: starts, lengths: lengths,
            keyBytes: keyBytes
        ).entry
    }

    /// Where the key with these UTF-8 bytes and hash is: its entry, or else the empty slot where it would go.
    @inline(__always)
    static func probe(
        _ bytes: UnsafeRawBufferPointer, hash: UInt64, mask: Int, slots: [Int32], hashes: [UInt64], starts: [Int32],
        lengths: [Int32], keyBytes: [UInt8]
    ) -> (slot: Int, entry: Int?) {
        slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = Int(slots[slot])
                if stored == 0 { return (slot, nil) }
                let entry = stored - 1
                if hashes[entry] == hash && Int(lengths[entry]) == bytes.count
                    && keyBytes.withUnsafeBytes({ all in
                        bytes.count == 0
                            || memcmp(all.baseAddress! + Int(starts[entry]), bytes.baseAddress!, bytes.count) == 0
                    })
                {
                    return (slot, entry)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// A 64-bit hash of `bytes`: eight bytes at a time, each word mixed with a multiply and a rotate; the length
    /// and the tail are folded in last. Not for untrusted keys (no seed).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state: UInt64 = 0x2545_F491_4F6C_DD1D ^ UInt64(truncatingIfNeeded: bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            state = (state ^ word) &* multiplier
            state = (state << 29) | (state >> 35)
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        state = (state ^ tail) &* multiplier
        state ^= state >> 32
        state = state &* multiplier
        return state ^ (state >> 29)
    }
}
