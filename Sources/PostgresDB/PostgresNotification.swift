/// A NOTIFY another session (or this one) sent on a channel this connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The sending session's server process id.
    public let senderProcessID: Int32

    public init(channel: String, payload: String, senderProcessID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderProcessID = senderProcessID
    }
}
