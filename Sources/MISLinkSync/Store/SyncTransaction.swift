import MISLinkQueue

// What commit effects call with the transaction handle they are given: the sync store works on
// whichever back end the queue is on, in the completion's own transaction (`PortableSQL`).

extension IntegrationStore {
    convenience init(connection transaction: any QueueTransaction) throws {
        try self.init(sql: transaction.portableSQL)
    }
}
