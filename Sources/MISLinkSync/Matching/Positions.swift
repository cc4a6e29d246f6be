/// The positions of the target records that share one key, in listing order. Nearly every key (a
/// UPN, an NI number, an MIS id) has one record, which this holds without an array of its own.
enum Positions: Sendable, Equatable {
    case none
    case one(Int32)
    case many([Int32])

    mutating func append(_ position: Int32) {
        switch self {
        case .none: self = .one(position)
        case .one(let first): self = .many([first, position])
        case .many(var all):
            self = .none
            all.append(position)
            self = .many(all)
        }
    }

    var all: [Int32] {
        switch self {
        case .none: []
        case .one(let position): [position]
        case .many(let all): all
        }
    }
}
