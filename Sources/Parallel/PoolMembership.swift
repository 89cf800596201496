#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which pool, if any, the current thread belongs to or works for: two thread-specific values.
/// `pthread_getspecific` costs nanoseconds, and `Parallel.perform` asks once per loop (one per
/// operator of a model run, thousands per study).
enum PoolMembership {
    /// The pool `Parallel.perform` uses on this thread (set by `WorkerPool.run`).
    static var current: WorkerPool? {
        pthread_getspecific(currentKey).map { Unmanaged<WorkerPool>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Valid while `WorkerPool.run` is on the stack, which keeps the pool alive.
    static func setCurrent(_ pool: WorkerPool?) {
        pthread_setspecific(currentKey, pool.map { Unmanaged.passUnretained($0).toOpaque() })
    }

    /// Marks this thread as one of `pool`'s own (called once, by the thread itself).
    static func set(_ pool: AnyObject) {
        pthread_setspecific(workerKey, Unmanaged.passUnretained(pool).toOpaque())
    }

    static func isWorker(of pool: AnyObject) -> Bool {
        pthread_getspecific(workerKey) == Unmanaged.passUnretained(pool).toOpaque()
    }

    private static let currentKey: pthread_key_t = makeKey()
    private static let workerKey: pthread_key_t = makeKey()

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }
}
