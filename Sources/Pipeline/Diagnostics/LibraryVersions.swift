internal import CLibGit2
internal import CLibYAML

/// The versions of the C libraries linked into this binary, for `optionsctl --version` and bug reports.
public enum LibraryVersions {
    /// libgit2's version, as the linked library reports it (`1.5.1`).
    public static var libgit2: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// libyaml's version, as the linked library reports it (`0.2.5`).
    public static var libyaml: String { String(cString: yaml_get_version_string()) }
}
