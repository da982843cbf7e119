import Foundation

/// A bounded first-in first-out queue of batches between one producer and several workers.
/// Bounded so a fast producer (the history walk) cannot pile up the whole history in memory.
final class WorkQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while the queue is full, unless `waitForRoom` is false (for a producer that must
    /// not stall, such as the history walk while blobs are read ahead).
    func push(_ batch: [Item], waitForRoom: Bool = true) {
        guard !batch.isEmpty else { return }
        condition.lock()
        while waitForRoom && batches.count - head >= capacity && !closed { condition.wait() }
        batches.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil once the queue is closed and drained.
    func pop() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while head == batches.count && !closed { condition.wait() }
        guard head < batches.count else { return nil }
        let batch = batches[head]
        head += 1
        if head > 64 && head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return batch
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Starts `count` threads running `body(index)` and waits for all of them.
enum Workers {
    static func run(_ count: Int, stackSize: Int = 8 << 20, _ body: @escaping @Sendable (Int) -> Void) -> WorkerGroup {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = stackSize
            thread.start()
        }
        return WorkerGroup(group: group)
    }
}

/// Threads started by `Workers.run`.
struct WorkerGroup {
    let group: DispatchGroup
    func wait() { group.wait() }
}
