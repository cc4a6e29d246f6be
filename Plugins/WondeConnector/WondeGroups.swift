/// One group or several: the `registration` include's shape is not documented, so both are read.
struct WondeGroups: Decodable, Sendable {
    let groups: [WondeGroup]

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let many = try? single.decode([WondeGroup].self) {
            groups = many
        } else {
            groups = [try single.decode(WondeGroup.self)]
        }
    }
}
