/// The merge of one namespace's parsed values files (reference §3), target by target.
public enum NamespaceValues {
    /// The merged values of `namespace` in each of `targets`, from its files already read (in path order).
    public static func configurations(of namespace: String, files: [LoadedValuesFile], targets: [String])
        -> [EffectiveConfiguration]
    {
        var byTarget: [String: [LoadedValuesFile]] = [:]
        for file in files { byTarget[file.file.target, default: []].append(file) }
        let defaults = DefaultLayer(files: byTarget[TreeLayout.defaultTarget] ?? [])
        return targets.map { target in
            EffectiveConfiguration(
                namespace: namespace, target: target, defaults: defaults, targetFiles: byTarget[target] ?? [])
        }
    }
}
