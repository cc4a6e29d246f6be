import MISLinkKit
import MISLinkRunner

/// What an import-like job's payload asks of its plan: made for review only (`planOnly`, with
/// `asOf` for a rehearsal as of a date), or a reviewed plan applied (`applyPlan`, `exceptHeld`);
/// `allowMassLeavers` lets the recycle guards through. Checked when the job is enqueued.
public struct PlanRequest: Sendable, Equatable {
    public var planOnly = false
    public var asOf: CalendarDate?
    public var applyPlan: Int64?
    public var exceptHeld = false
    public var allowMassLeavers = false

    /// The payload keys of `kind`: the nightly import and the initial upload also take allowMassLeavers.
    static func keys(for kind: String) -> [String] {
        let common = ["planOnly", "asOf", "applyPlan", "exceptHeld"]
        return kind == JobKinds.nightlyImport || kind == JobKinds.initialUpload ? ["allowMassLeavers"] + common : common
    }

    public init() {}

    init(_ payload: JSONPayload, kind: String) throws(PayloadError) {
        let known = Self.keys(for: kind)
        if let unknown = payload.object.keys.sorted().first(where: { !known.contains($0) }) {
            throw PayloadError("\(kind) payload key '\(unknown)' is not known (known: \(known.joined(separator: ", ")))")
        }
        func flag(_ key: String) throws(PayloadError) -> Bool {
            guard let value = payload.object[key] else { return false }
            guard JSONPayload.isBoolean(value), let bool = value as? Bool else {
                throw PayloadError("\(kind) payload key '\(key)' must be true or false")
            }
            return bool
        }
        planOnly = try flag("planOnly")
        exceptHeld = try flag("exceptHeld")
        allowMassLeavers = try flag("allowMassLeavers")
        if let value = payload.object["asOf"] {
            guard let text = value as? String, let date = CalendarDate(iso: text) else {
                throw PayloadError("\(kind) payload key 'asOf' must be a date such as 2027-09-01")
            }
            asOf = date
        }
        if payload.object["applyPlan"] != nil {
            guard let id = try payload.integer("applyPlan"), id > 0 else {
                throw PayloadError("\(kind) payload key 'applyPlan' must be a plan id (a whole number)")
            }
            applyPlan = Int64(id)
        }
        if planOnly && applyPlan != nil { throw PayloadError("\(kind): planOnly and applyPlan cannot go together") }
        if asOf != nil && !planOnly { throw PayloadError("\(kind): asOf is for a rehearsal: it needs planOnly") }
        if exceptHeld && applyPlan == nil { throw PayloadError("\(kind): exceptHeld goes with applyPlan") }
    }

    /// The payload's JSON.
    public var json: String {
        var parts: [String] = []
        if allowMassLeavers { parts.append(#""allowMassLeavers": true"#) }
        if planOnly { parts.append(#""planOnly": true"#) }
        if let asOf { parts.append(#""asOf": "\#(asOf)""#) }
        if let applyPlan { parts.append(#""applyPlan": \#(applyPlan)"#) }
        if exceptHeld { parts.append(#""exceptHeld": true"#) }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
