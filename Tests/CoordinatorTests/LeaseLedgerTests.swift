import Coordinator
import Protocol
import Testing

/// The learner delivers lease reports at least once (a report whose request was cut short after the coordinator
/// had read it is sent again), so the ledger must take a report twice as once.
@Suite struct LeaseLedgerTests {
    @Test func aReportDeliveredTwiceClosesEachLeaseOnce() throws {
        let journal = MemoryJournal()
        let ledger = LeaseLedger(journal: journal, leaseTimeout: .seconds(30))
        let leases = try ledger.grant(to: "w1", count: 3, now: .now)
        #expect(leases.count == 3)
        let ids = leases.map(\.id)
        let report = LeaseReport(learnerStep: 1, weightVersion: 1, received: ids, used: [ids[0]], consumed: [ids[0]],
                                 returned: [ids[1]])

        let first = try ledger.apply(report)
        #expect(first.consumed == 1 && first.returned == 1)
        #expect(ledger.retryBacklog == 1)  // the returned prompt waits to be leased again
        let second = try ledger.apply(report)
        #expect(second.consumed == 0 && second.returned == 0 && second.duplicates == 0 && second.lost == 0)
        #expect(ledger.retryBacklog == 1)  // and only once

        let closing = journal.events.filter { $0.kind == .consumed || $0.kind == .returned }
        #expect(closing.map(\.kind) == [.consumed, .returned] && closing.map(\.lease) == [ids[0], ids[1]])
        #expect(ledger.consumedPrompts.count == 1)
        // The returned prompt goes to the next worker once; the third lease is still open.
        let again = try ledger.grant(to: "w2", count: 2, now: .now)
        #expect(again.first?.prompt == leases[1].prompt && again.last?.prompt != leases[1].prompt)
        #expect(ledger.leases(of: "w1").map(\.id) == [ids[2]])
    }
}
