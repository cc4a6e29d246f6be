/// This build's version, as `/metrics` (`mislink_build_info`) reports it.
public enum MISLinkVersion {
    public static let current = "0.7.0"
}
