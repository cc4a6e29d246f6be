import Foundation
import MISLinkDemo
import Testing

/// The generated export files must not change when the generator is refactored: benchmarks and
/// demos compare runs across versions. The figures are FNV-1a hashes of each file as the generator
/// wrote it before it moved out of MISLinkSync (computed then with a separate script).
struct DemoSchoolBytesTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        let name: String
        let school: @Sendable () -> DemoSchool
        let hashes: [String: UInt64]
        var testDescription: String { name }
    }

    static let goldens: [Golden] = [
        Golden(
            name: "seed 42, 600 pupils", school: { DemoSchool.generate() },
            hashes: [
                "students.csv": 0x6018_98bd_3e0a_74f6, "staff.csv": 0x4334_6165_53ec_2d4b,
                "preadmissions.csv": 0xdd79_4120_6544_7b78, "contacts.csv": 0x5e88_05d8_691f_8f16,
            ]),
        Golden(
            name: "its next day, seed 43", school: { DemoSchool.generate().nextDay(seed: 43) },
            hashes: [
                "students.csv": 0x34df_a981_f73f_2300, "staff.csv": 0x2dc9_1db3_4790_45e1,
                "preadmissions.csv": 0xdd79_4120_6544_7b78, "contacts.csv": 0x1c52_9187_94b1_412c,
            ]),
        Golden(
            name: "seed 9, 45 pupils", school: { DemoSchool.generate(seed: 9, pupils: 45, staff: 8) },
            hashes: [
                "students.csv": 0xa370_83d2_b1bf_dcd9, "staff.csv": 0x5a24_1231_ac9a_a26e,
                "preadmissions.csv": 0xf8de_8a5d_7678_8d42, "contacts.csv": 0x5340_44d6_cb35_3b2d,
            ]),
        Golden(
            name: "seed 7, 3000 pupils", school: { DemoSchool.generate(seed: 7, pupils: 3000, staff: 200) },
            hashes: [
                "students.csv": 0x63f4_12f2_c37d_b2a6, "staff.csv": 0xd0b3_9f28_4809_2ec2,
                "preadmissions.csv": 0x4b95_f903_5ad3_9adc, "contacts.csv": 0xbcae_e7a5_20d5_1c83,
            ]),
    ]

    @Test("writes the same bytes as before the generator moved", arguments: goldens)
    func sameBytes(golden: Golden) async throws {
        try await withFreshExportFolder { folder in
            try golden.school().writeCSV(to: folder)
            for (name, hash) in golden.hashes.sorted(by: { $0.key < $1.key }) {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
                #expect(Self.fnv1a(bytes) == hash, "\(name) changed")
            }
        }
    }

    private static func fnv1a(_ bytes: Data) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
