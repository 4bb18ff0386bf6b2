internal import CKernels
import Dispatch
import Foundation
import Synchronization

/// Helper threads that stay awake between the engine's parallel regions.
///
/// Sampling runs some thirty short parallel regions per decoded token (every projection, attention) of about a
/// tenth of a millisecond each. `DispatchQueue.concurrentPerform` puts its workers to sleep after each one and
/// wakes them with a futex for the next, which cost as much as the second thread gained: sampling on two threads
/// was 1.07× one thread. A helper here spins on its own ticket for `spinTime` after a region (pausing the core
/// between looks), so the next region starts without a system call, and only then parks on a condition variable,
/// so an idle engine costs nothing.
///
/// One region runs at a time; a caller that finds the team busy (a nested region, a second engine in the same
/// process) gets `false` and runs its region some other way.
final class ForkJoinTeam: @unchecked Sendable {
    /// One helper per core beyond the caller's, spinning `GRPO_LAMBDA_SPIN_MICROSECONDS` (default 100; 0 parks
    /// at once, for machines where other processes need the cores between regions).
    static let shared = ForkJoinTeam(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1),
                                     spinTime: configuredSpinTime)

    /// The spin time this process's team uses, read without starting the team (the machine description prints it).
    static var configuredSpinTime: UInt64 {
        spinTimeRequested(ProcessInfo.processInfo.environment) ?? defaultSpinTime
    }

    static let defaultSpinTime: UInt64 = 100_000
    static let spinVariable = "GRPO_LAMBDA_SPIN_MICROSECONDS"

    /// The spin time `environment` asks for, in nanoseconds; nil when unset or not a whole number of microseconds.
    static func spinTimeRequested(_ environment: [String: String]) -> UInt64? {
        environment[spinVariable].flatMap { UInt64($0) }.map { min($0, 1_000_000) * 1_000 }
    }

    /// A helper's ticket: bumped by the caller to hand it the current region.
    private final class Slot: Sendable {
        let ticket = Atomic<Int>(0)
    }

    let helpers: Int
    /// How long a helper looks for new work before it parks, in nanoseconds.
    let spinTime: UInt64
    private let slots: [Slot]
    private let inUse = Atomic<Bool>(false)
    private let unfinished = Atomic<Int>(0)
    private let parkedCount = Atomic<Int>(0)
    private let parking = NSCondition()
    /// The current region's body; written before the tickets are bumped, read by helpers after they see theirs.
    private var job: ((Int) -> Void)?

    init(helpers: Int, spinTime: UInt64 = defaultSpinTime) {
        self.helpers = helpers
        self.spinTime = spinTime
        slots = (0..<helpers).map { _ in Slot() }
        for index in 0..<helpers {
            let thread = Thread { [self] in work(index) }
            thread.name = "engine-helper-\(index + 1)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Runs `body(worker)` for `worker` in `0..<workers`, worker 0 on the calling thread, and returns when all
    /// are done. Returns `false` without running anything when the team is busy or has too few helpers.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        guard workers - 1 <= helpers,
              inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { inUse.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            unfinished.store(workers - 1, ordering: .relaxed)
            for index in 0..<(workers - 1) { slots[index].ticket.add(1, ordering: .sequentiallyConsistent) }
            if parkedCount.load(ordering: .sequentiallyConsistent) > 0 {
                parking.lock()
                parking.broadcast()
                parking.unlock()
            }
            body(0)
            var looks = 0
            while unfinished.load(ordering: .acquiring) > 0 {
                looks += 1
                if looks < 4096 { ckernels_spin_pause() } else { sched_yield() }
            }
            job = nil
        }
        return true
    }

    private func work(_ index: Int) {
        let slot = slots[index]
        var seen = 0
        while true {
            var ticket = slot.ticket.load(ordering: .acquiring)
            if ticket == seen {
                let deadline = DispatchTime.now().uptimeNanoseconds + spinTime
                var looks = 0
                while ticket == seen {
                    ckernels_spin_pause()
                    looks += 1
                    if looks & 255 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { break }
                    ticket = slot.ticket.load(ordering: .acquiring)
                }
            }
            if ticket == seen {
                parking.lock()
                parkedCount.add(1, ordering: .sequentiallyConsistent)
                while slot.ticket.load(ordering: .sequentiallyConsistent) == seen { parking.wait() }
                parkedCount.subtract(1, ordering: .sequentiallyConsistent)
                parking.unlock()
                ticket = slot.ticket.load(ordering: .acquiring)
            }
            seen = ticket
            job!(index + 1)
            unfinished.subtract(1, ordering: .releasing)
        }
    }
}
