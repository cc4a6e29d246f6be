import Foundation

/// A small reader of Prometheus text format 0.0.4, strict where the format is: every sample belongs
/// to a family declared by one TYPE line before it, label values are quoted and escaped, and a
/// histogram's buckets rise with `le`, end at +Inf and agree with its `_count`.
struct PrometheusParser {
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var types: [String: String] = [:]
    private(set) var helps: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Failure(description: "the page does not end with a line feed") }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            try read(String(line), number: number + 1)
        }
        try checkHistograms()
    }

    /// The one sample of `name` with exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        return matching.count == 1 ? matching[0].value : nil
    }

    func samples(_ name: String) -> [Sample] { samples.filter { $0.name == name } }

    private mutating func read(_ line: String, number: Int) throws {
        func fail(_ why: String) -> Failure { Failure(description: "line \(number) '\(line)': \(why)") }
        if line.hasPrefix("# TYPE ") {
            let parts = line.dropFirst(7).split(separator: " ")
            guard parts.count == 2, ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[1])) else {
                throw fail("a TYPE line needs a name and a known type")
            }
            let name = String(parts[0])
            guard types[name] == nil else { throw fail("a second TYPE line for \(name)") }
            guard !samples.contains(where: { family(of: $0.name) == name }) else { throw fail("TYPE after the family's samples") }
            types[name] = String(parts[1])
            return
        }
        if line.hasPrefix("# HELP ") {
            let rest = line.dropFirst(7)
            guard let space = rest.firstIndex(of: " ") else { throw fail("a HELP line needs a name and text") }
            helps[String(rest[..<space])] = String(rest[rest.index(after: space)...])
            return
        }
        if line.hasPrefix("#") || line.isEmpty { return }
        var scanner = Substring(line)
        let name = String(scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else { throw fail("no metric name") }
        scanner = scanner.dropFirst(name.count)
        var labels: [String: String] = [:]
        if scanner.first == "{" {
            scanner = scanner.dropFirst()
            while scanner.first != "}" {
                let label = String(scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                scanner = scanner.dropFirst(label.count)
                guard !label.isEmpty, scanner.hasPrefix("=\"") else { throw fail("a label needs name=\"value\"") }
                scanner = scanner.dropFirst(2)
                var value = ""
                while true {
                    guard let character = scanner.popFirst() else { throw fail("an unterminated label value") }
                    if character == "\"" { break }
                    if character == "\\" {
                        switch scanner.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("a bad escape in a label value")
                        }
                    } else if character == "\n" {
                        throw fail("a raw line feed in a label value")
                    } else {
                        value.append(character)
                    }
                }
                guard labels[label] == nil else { throw fail("label \(label) twice") }
                labels[label] = value
                if scanner.first == "," { scanner = scanner.dropFirst() }
            }
            scanner = scanner.dropFirst()
        }
        guard scanner.first == " " else { throw fail("no space before the value") }
        let text = scanner.dropFirst()
        guard let value = text == "+Inf" ? Double.infinity : Double(text) else { throw fail("'\(text)' is not a number") }
        guard types[family(of: name)] != nil else { throw fail("a sample before its family's TYPE line") }
        guard !samples.contains(where: { $0.name == name && $0.labels == labels }) else { throw fail("a repeated series") }
        samples.append(Sample(name: name, labels: labels, value: value))
    }

    private func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    private func checkHistograms() throws {
        for (name, type) in types where type == "histogram" {
            var series: [[String: String]: [(le: Double, count: Double)]] = [:]
            for sample in samples(name + "_bucket") {
                guard let le = sample.labels["le"].flatMap({ $0 == "+Inf" ? Double.infinity : Double($0) }) else {
                    throw Failure(description: "\(name): a bucket without a numeric le")
                }
                var labels = sample.labels
                labels["le"] = nil
                series[labels, default: []].append((le, sample.value))
            }
            for (labels, buckets) in series {
                guard buckets.map(\.le) == buckets.map(\.le).sorted(), buckets.last?.le == .infinity else {
                    throw Failure(description: "\(name)\(labels): buckets must rise with le and end at +Inf")
                }
                guard buckets.map(\.count) == buckets.map(\.count).sorted() else {
                    throw Failure(description: "\(name)\(labels): bucket counts must be cumulative")
                }
                guard value(name + "_count", labels) == buckets.last?.count, value(name + "_sum", labels) != nil else {
                    throw Failure(description: "\(name)\(labels): _count must equal the +Inf bucket, and _sum must be there")
                }
            }
        }
    }
}
