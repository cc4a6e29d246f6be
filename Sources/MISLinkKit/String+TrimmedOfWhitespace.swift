import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation's cost when there is nothing to trim.
    /// Foundation goes through NSString every time; reading a school's worth of JSON or CSV, that
    /// was a tenth of the import's CPU. A value that starts and ends with a visible ASCII character
    /// (nearly every one) comes back as it is; anything else goes to Foundation, so the rules are its.
    public var trimmedOfWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        if (0x21...0x7E).contains(first.value) && (0x21...0x7E).contains(last.value) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}
