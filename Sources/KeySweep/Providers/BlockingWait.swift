import Foundation

/// Runs async work from synchronous code (the plan and the assessors are synchronous) and waits
/// for its result. The work runs on Swift's cooperative pool: call this from a plain thread (the
/// command line's), never from a task on that pool, whose few threads it would block.
package enum BlockingWait {
    package static func result<T: Sendable>(of work: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await work()
            semaphore.signal()
        }
        semaphore.wait()
        return box.value!
    }
}

/// The result, written by the task before the semaphore is signalled and read after it.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
