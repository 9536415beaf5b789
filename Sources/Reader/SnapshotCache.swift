#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Each thread's `ThreadSnapshots` for one store, in thread-local storage: a read finds the snapshot it needs
/// without a lock and without touching memory other threads write.
///
/// A thread's cache keeps the snapshots it read alive until it reads newer ones or exits. When the store goes
/// away, caches of threads that are still running are not reclaimed (POSIX runs no destructors on
/// `pthread_key_delete`); a service builds one store for its lifetime, so this is bounded by its threads.
///
/// Should the process run out of thread-local keys (POSIX guarantees 128; glibc has 1,024), reads fall back to
/// taking the slot's lock.
final class SnapshotCache: Sendable {
    let key: pthread_key_t?
    let count: Int

    init(count: Int) {
        self.count = count
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { raw in
            #if canImport(Darwin)
                Unmanaged<ThreadSnapshots>.fromOpaque(raw).release()
            #else
                if let raw { Unmanaged<ThreadSnapshots>.fromOpaque(raw).release() }
            #endif
        }
        self.key = created == 0 ? key : nil
    }

    deinit {
        guard let key else { return }
        // This thread's cache can still be reclaimed.
        if let raw = pthread_getspecific(key) {
            pthread_setspecific(key, nil)
            Unmanaged<ThreadSnapshots>.fromOpaque(raw).release()
        }
        pthread_key_delete(key)
    }

    /// Runs `body` on the calling thread's cached snapshot for `index`, without reference counting; `nil` when the
    /// thread has none cached (or the process has no thread-local key for this store).
    @inline(__always)
    func withCached<Result>(_ index: Int, _ body: (Snapshot) -> Result?) -> Result? {
        guard let key, let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<ThreadSnapshots>.fromOpaque(raw)._withUnsafeGuaranteedRef { local in
            local.snapshots[index]?._withUnsafeGuaranteedRef(body)
        }
    }

    /// The calling thread's cache, created on its first read.
    @inline(__always)
    func local() -> ThreadSnapshots? {
        guard let key else { return nil }
        if let raw = pthread_getspecific(key) {
            return Unmanaged<ThreadSnapshots>.fromOpaque(raw).takeUnretainedValue()
        }
        return makeLocal(key)
    }

    @inline(never)
    func makeLocal(_ key: pthread_key_t) -> ThreadSnapshots {
        let local = ThreadSnapshots(count: count)
        pthread_setspecific(key, Unmanaged.passRetained(local).toOpaque())
        return local
    }
}
