import Glibc

/// Linux `renameat2(2)`, looked up at run time: the Glibc module does not export it, and Swift
/// cannot call the variadic `syscall`.
enum Rename {
    /// Fail with EEXIST instead of replacing the target.
    static let noReplace: UInt32 = 1
    /// Swap the two names atomically; both must exist.
    static let exchange: UInt32 = 2

    private typealias Function =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    private static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// `renameat2(from, fromName, to, toName, flags)`; 0 or -1 with errno (ENOSYS without the call).
    static func renameat2(_ from: Directory, _ fromName: String, _ to: Directory, _ toName: String, _ flags: UInt32)
        -> Int32
    {
        guard let function else {
            errno = ENOSYS
            return -1
        }
        return function(from.fd, fromName, to.fd, toName, flags)
    }
}
