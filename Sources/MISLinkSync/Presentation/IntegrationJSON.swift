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
            "settings": [
                "lawful-basis": settings.lawfulBasis.rawValue, "names": settings.names.rawValue,
                "fields": settings.fields.sorted().map(\.rawValue), "new-records": settings.newRecords.rawValue,
                "nightly-at": settings.nightlyAt, "time-zone": settings.timeZone,
                "mass-leaver-threshold": settings.massLeaverThreshold, "phase": settings.phase.rawValue,
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

    /// One intake entry with the MIS record it holds.
    public static func object(_ entry: IntakeEntry) -> [String: Any] {
        [
            "id": entry.id, "integration": entry.integration, "role": entry.role.rawValue, "misId": entry.misID,
            "name": entry.name, "reason": entry.reason, "status": entry.status.rawValue,
            "targetId": entry.targetID.map { $0 as Any } ?? NSNull(),
            "record": JobJSON.embedded(entry.record),
        ]
    }
}
