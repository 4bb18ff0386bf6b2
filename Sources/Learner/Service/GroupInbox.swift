import Foundation
import Protocol

/// A bounded hand-off from the async receive loop to the training thread.
///
/// When it is full, `put` suspends the receiving task, so the learner stops reading its socket, nng's buffers
/// fill and workers' PUSH sends wait: back-pressure instead of unbounded memory. `take` blocks the training
/// thread (never a cooperative-pool thread) until a group or the end arrives.
final class GroupInbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var groups: [RolloutGroup] = []
    private var waitingProducers: [CheckedContinuation<Void, Never>] = []
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds a group, waiting while the inbox is full. Returns false once the inbox is closed.
    func put(_ group: RolloutGroup) async -> Bool {
        while true {
            let admitted: Bool? = condition.withLock {
                if closed { return false }
                if groups.count < capacity {
                    groups.append(group)
                    condition.signal()
                    return true
                }
                return nil
            }
            if let admitted { return admitted }
            await withCheckedContinuation { continuation in
                let resumeNow = condition.withLock {
                    if closed || groups.count < capacity { return true }
                    waitingProducers.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// The next group, blocking up to `timeout`; nil on timeout or once closed and drained.
    func take(timeout: TimeInterval) -> RolloutGroup? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while groups.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        guard !groups.isEmpty else { return nil }
        let group = groups.removeFirst()
        if !waitingProducers.isEmpty { waitingProducers.removeFirst().resume() }
        return group
    }

    /// Wakes everyone; later puts are refused.
    func close() {
        let producers = condition.withLock {
            closed = true
            condition.broadcast()
            defer { waitingProducers.removeAll() }
            return waitingProducers
        }
        for p in producers { p.resume() }
    }
}
