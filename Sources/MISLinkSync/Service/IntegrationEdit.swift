/// One change `integration set` makes: a setting (`names=legal`), a plugin's configuration value
/// (`config.dir=/exports`; an empty value removes an optional key) or where a secret lives
/// (`secret.token=env:VAR`). The integration stays as it is otherwise: nothing is removed.
public enum IntegrationEdit: Sendable, Equatable {
    case setting(String, String)
    case config(String, String)
    case secret(String, String)

    /// Parses `KEY=VALUE`, `config.KEY=VALUE` or `secret.KEY=REFERENCE`.
    public init(parsing text: String) throws(SyncError) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw SyncError(.invalidInput, "a change is KEY=VALUE, config.KEY=VALUE or secret.KEY=env:VAR, not '\(text)'")
        }
        let key = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        if key.hasPrefix("config."), key.count > 7 {
            self = .config(String(key.dropFirst(7)), value)
        } else if key.hasPrefix("secret."), key.count > 7 {
            self = .secret(String(key.dropFirst(7)), value)
        } else {
            self = .setting(key, value)
        }
    }

    var touchesPlugins: Bool {
        switch self {
        case .setting: false
        case .config, .secret: true
        }
    }
}
