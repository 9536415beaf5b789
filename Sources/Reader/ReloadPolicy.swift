/// When a store checks its values files for changes, and whom it tells about reloads.
///
/// ```swift
/// let store = try OptionsStore(
///     reload: ReloadPolicy(
///         onError: { namespace, error in logger.error("options: \(namespace): \(error)") },
///         onPropagation: { namespace, delay in metrics.recordPropagation(namespace, seconds: delay) }))
/// ```
public struct ReloadPolicy: Sendable {
    /// How long snapshots are served before a read checks the files again (plus up to one second of jitter);
    /// `nil`: reads never check (use `refresh()` or `pollForChanges(every:)`). The reference's 5 seconds by
    /// default.
    public var refreshInterval: Duration?
    /// Told about every reload that failed: the namespace keeps its last good snapshot, and the next check tries
    /// the file again.
    public var onError: (@Sendable (_ namespace: String, _ error: OptionsError) -> Void)?
    /// Told, after a reload, of each namespace whose payload `generated_at` changed: the seconds between its
    /// generation and now (0 when the clocks disagree), the deploy lag of reference §5.6. Never on the first load.
    public var onPropagation: (@Sendable (_ namespace: String, _ delay: Double) -> Void)?

    /// Creates a policy.
    public init(
        refreshInterval: Duration? = .seconds(5),
        onError: (@Sendable (_ namespace: String, _ error: OptionsError) -> Void)? = nil,
        onPropagation: (@Sendable (_ namespace: String, _ delay: Double) -> Void)? = nil
    ) {
        self.refreshInterval = refreshInterval
        self.onError = onError
        self.onPropagation = onPropagation
    }
}
