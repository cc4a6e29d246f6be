/// The small argument parser the `mislink` commands share: `--name value`, `--name=value`, flags,
/// repeatable options and positionals, with errors that name the offending argument.
///
/// Each option's spec carries its help line too, and every command's `--help` is built from the
/// same specs the parser takes (`Help`), so the two cannot drift.
struct Arguments {
    struct Spec: Sendable {
        let name: String
        /// What the value looks like in help (`N`, `PATH`); nil for a flag.
        let valueName: String?
        let repeatable: Bool
        let help: String

        var takesValue: Bool { valueName != nil }

        static func flag(_ name: String, _ help: String) -> Spec {
            Spec(name: name, valueName: nil, repeatable: false, help: help)
        }
        static func option(_ name: String, _ valueName: String, _ help: String) -> Spec {
            Spec(name: name, valueName: valueName, repeatable: false, help: help)
        }
        static func repeated(_ name: String, _ valueName: String, _ help: String) -> Spec {
            Spec(name: name, valueName: valueName, repeatable: true, help: help)
        }

        /// `--name VALUE` as help and usage lines show it.
        var synopsis: String { "--" + name + (valueName.map { " " + $0 } ?? "") }
    }

    static let helpSpec = Spec.flag("help", "this help")

    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `tokens` against `specs`. `--help`/`-h` is always accepted as a flag.
    init(_ tokens: [String], specs: [Spec]) throws(CLIError) {
        let byName = Dictionary((specs + [Self.helpSpec]).map { ($0.name, $0) }) { first, _ in first }
        var index = 0
        var onlyPositionals = false
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if onlyPositionals || !token.hasPrefix("-") || token == "-" {
                positionals.append(token)
                continue
            }
            if token == "--" {
                onlyPositionals = true
                continue
            }
            if token == "-h" {
                flags.insert("help")
                continue
            }
            guard token.hasPrefix("--") else { throw CLIError.usage("unknown option '\(token)'") }
            var name = String(token.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = byName[name] else {
                let known = byName.keys.map { "--" + $0 }.sorted().joined(separator: ", ")
                throw CLIError.usage("unknown option '--\(name)' (this command takes: \(known))")
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < tokens.count else { throw CLIError.usage("option '--\(name)' needs a value") }
                    value = tokens[index]
                    index += 1
                }
                if !spec.repeatable && values[name] != nil {
                    throw CLIError.usage("option '--\(name)' is given more than once")
                }
                values[name, default: []].append(value)
            } else {
                guard inlineValue == nil else { throw CLIError.usage("option '--\(name)' takes no value") }
                flags.insert(name)
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    var wantsHelp: Bool { flags.contains("help") }

    func integer(_ name: String, range: ClosedRange<Int>) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw CLIError.usage("option '--\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    func positional(_ index: Int, _ what: String) throws(CLIError) -> String {
        guard index < positionals.count else { throw CLIError.usage("missing \(what)") }
        return positionals[index]
    }

    /// Refuses positionals beyond the first `count`.
    func expectPositionals(atMost count: Int) throws(CLIError) {
        if positionals.count > count {
            throw CLIError.usage("unexpected argument '\(positionals[count])'")
        }
    }
}
