#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The number of processors online.
let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Maps `transform` over `items` on all cores, keeping the order; items are handed out in contiguous chunks.
///
/// The stages use it with one namespace per item: namespaces are independent, so every core stays busy.
public func concurrentMap<Element: Sendable, Result: Sendable>(
    _ items: [Element], _ transform: @escaping @Sendable (Element) -> Result
) async -> [Result] {
    if items.count <= 1 || processorCount == 1 { return items.map(transform) }
    // Small chunks keep every core busy to the end when items differ in size.
    let chunkCount = min(items.count, processorCount * 16)
    let chunkSize = (items.count + chunkCount - 1) / chunkCount
    return await withTaskGroup(of: (Int, [Result]).self) { group in
        for start in stride(from: 0, to: items.count, by: chunkSize) {
            let chunk = Array(items[start..<min(start + chunkSize, items.count)])
            group.addTask { (start, chunk.map(transform)) }
        }
        var parts: [(Int, [Result])] = []
        for await part in group { parts.append(part) }
        parts.sort { $0.0 < $1.0 }
        return parts.flatMap(\.1)
    }
}
