import Foundation
import MISLinkKit
import MISLinkRunner

/// An integration and its bookkeeping (imports, intake) as JSON, shared by the command line and the
/// console. Secrets show as "(set)", never their values or whereabouts.
public enum IntegrationJSON {
    public static func object(_ integration: Integration) -> [String: Any] {
        let settings = integration.settings
        return [
            "id": integration.id, "status": integration.status.rawValue, "connector": integration.connector,
            "target": integration.target, "errorReason": integration.errorReason.map { $0 as Any } ?? NSNull(),
            "config": integration.config,
            "secrets": Dictionary(uniqueKeysWithValues: integration.secrets.keys.map { ($0, "(set)") }),
            "absenceSync": integration.absenceSync, "contractSync": integration.contractSync,
            "staffSync": integration.staffSync,
            "actions": IntegrationActions.allowed(for: integration).map(\.rawValue),
            "settings": [
                "lawful-basis": settings.lawfulBasis.rawValue, "names": settings.names.rawValue,
                "fields": settings.fields.sorted().map(\.rawValue), "new-records": settings.newRecords.rawValue,
                "nightly-at": settings.nightlyAt, "time-zone": settings.timeZone,
                "mass-leaver-threshold": settings.massLeaverThreshold, "phase": settings.phase.rawValue,
                "full-import-every": settings.fullImportInterval,
                "leaver-grace": "\(settings.leaverGrace)d",
                "recycle-purge-after": settings.recyclePurgeAfterDays.map { "\($0)d" } ?? "none",
                "history-keep": "\(settings.historyKeep)d",
                "quiet": settings.quietPeriods.map(\.description),
                "guards": Dictionary(uniqueKeysWithValues: settings.guardLimits.map { ($0.key.description, $0.value.text) }),
                "plan-expiry": DurationText.format(milliseconds: settings.planExpiry),
            ] as [String: Any],
        ]
    }

    /// One import with its full report.
    public static func object(_ record: ImportRecord) -> [String: Any] {
        [
            "id": record.id, "jobId": record.jobID.map { $0 as Any } ?? NSNull(), "kind": record.kind,
            "startedAt": DurationText.isoString(milliseconds: record.startedAt),
            "finishedAt": DurationText.isoString(milliseconds: record.finishedAt), "added": record.added,
            "updated": record.updated, "matched": record.matched, "toIntake": record.toIntake,
            "leavers": record.leavers, "skipped": record.skipped, "warnings": record.warnings,
            "report": JobJSON.embedded(record.report),
        ]
    }

    /// One intake entry with the MIS record it holds and its candidates (null: not recorded, an
    /// entry older than candidates; `intake show` works them out).
    public static func object(_ entry: IntakeEntry) -> [String: Any] {
        [
            "id": entry.id, "integration": entry.integration, "role": entry.role.rawValue, "misId": entry.misID,
            "name": entry.name, "reason": entry.reason, "status": entry.status.rawValue,
            "targetId": entry.targetID.map { $0 as Any } ?? NSNull(),
            "createdAt": DurationText.isoString(milliseconds: entry.createdAt),
            "resolvedAt": entry.resolvedAt.map { DurationText.isoString(milliseconds: $0) as Any } ?? NSNull(),
            "record": JobJSON.embedded(entry.record),
            "candidates": entry.candidates.map { $0.map(object) as Any } ?? NSNull(),
        ]
    }

    /// A link between an MIS record and a target record, as `links list --json` shows it.
    public static func object(_ link: Link) -> [String: Any] {
        [
            "role": link.role.rawValue, "misId": link.misID, "targetId": link.targetID, "origin": link.origin.rawValue,
            "rule": link.rule,
        ]
    }

    /// An edit made in the target, as `report changes --json` shows it.
    public static func object(_ change: TargetChange) -> [String: Any] {
        [
            "role": change.role.rawValue, "misId": change.misID, "targetId": change.targetID, "field": change.field,
            "sent": change.sentValue.map { $0 as Any } ?? NSNull(), "target": change.targetValue.map { $0 as Any } ?? NSNull(),
            "status": change.status.rawValue,
            "seenAt": change.seenAt.map { DurationText.isoString(milliseconds: $0) as Any } ?? NSNull(),
        ]
    }

    /// A target record that nearly matched: on what (`basis`, and `on` for people), its name and date of birth.
    public static func object(_ candidate: IntakeCandidate) -> [String: Any] {
        [
            "targetId": candidate.targetID, "basis": candidate.basis.rawValue, "on": candidate.basis.summary,
            "name": candidate.name, "dateOfBirth": candidate.dateOfBirth.map { $0.description as Any } ?? NSNull(),
        ]
    }

    /// A batch of intake decisions: `done` (entry, status, target id) and `refused` (entry, error code, reason).
    public static func object(_ report: IntakeReport) -> [String: Any] {
        [
            "done": report.done.map { done -> [String: Any] in
                ["id": done.entry, "status": done.status.rawValue, "targetId": done.targetID.map { $0 as Any } ?? NSNull()]
            },
            "refused": report.refused.map { refusal -> [String: Any] in
                ["id": refusal.entry, "error": errorCode(refusal.code), "reason": refusal.reason]
            },
        ]
    }

    /// The stable name of an error code, as the API's `error` field spells it.
    public static func errorCode(_ code: SyncError.Code) -> String {
        switch code {
        case .invalidInput: "invalid-input"
        case .refused: "refused"
        case .conflict: "conflict"
        case .notFound: "not-found"
        case .failed: "failed"
        }
    }
}
