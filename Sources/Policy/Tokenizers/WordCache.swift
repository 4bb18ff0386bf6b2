import Foundation

/// Word → ids memo shared by every encode call on one tokenizer, behind a lock.
///
/// Callers hold the lock for a batch of words (`withLock`), not per word. The cache is bounded: when it holds
/// `maximumWords` words or `maximumIDs` ids it is emptied and refills from the text that follows. Words longer
/// than `maximumWordBytes` are never stored.
final class WordCache: @unchecked Sendable {
    /// The memo proper: word bytes → `(offset << 32) | count` into `ids`.
    struct Storage {
        var table = ByteStringTable(capacity: 8192)
        var ids: [Int32] = []
    }

    static let maximumWords = 200_000
    static let maximumIDs = 2_000_000
    static let maximumWordBytes = 256

    private let lock = NSLock()
    // Guarded by `lock`: that is what makes the `@unchecked Sendable` above sound.
    private var storage = Storage()

    func withLock<R>(_ body: (inout Storage) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&storage)
    }
}
