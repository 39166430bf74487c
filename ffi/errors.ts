/**
 * One error class per condition a caller will catch: a library that would not load, a symbol that is not there,
 * a system call or C function that failed with an error code, a resource used after `close()`, native memory
 * the allocator refused, a struct by value the runtime cannot pass, and a binding called on the wrong system.
 *
 * @module
 */

/** A shared library could not be loaded. */
export class LibraryNotFoundError extends Error {
  /** Always `"LibraryNotFoundError"`. */
  override name = "LibraryNotFoundError";
  /** The name or path that was asked for. */
  readonly library: string;
  /** Where the loader looked, in order. */
  readonly searched: readonly string[];
  /** What the loader said, e.g. `"cannot open shared object file: No such file or directory"`, if it spoke. */
  readonly reason: string | undefined;

  /**
   * Makes the error; the message names the library, where the loader looked and why it failed.
   *
   * @param library The name or path asked for.
   * @param searched Where the loader looked.
   * @param options `cause`, and `reason`: the loader's words, when they are not the cause's whole message.
   */
  constructor(library: string, searched: readonly string[], options?: ErrorOptions & { reason?: string }) {
    const where = searched.length > 0 ? `; looked in: ${searched.join(", ")}` : "";
    const said = options?.reason ?? (options?.cause instanceof Error ? options.cause.message : undefined);
    const reason = said === undefined ? "" : `: ${said}`;
    super(`Cannot load library "${library}"${where}${reason}`, options);
    this.library = library;
    this.searched = searched;
    this.reason = said;
  }
}

/** A library loaded, but a symbol asked of it is not there. */
export class SymbolNotFoundError extends Error {
  /** Always `"SymbolNotFoundError"`. */
  override name = "SymbolNotFoundError";
  /** The library that was searched. */
  readonly library: string;
  /** The symbol that is missing. */
  readonly symbol: string;

  /**
   * Makes the error; the message names the symbol and the library.
   *
   * @param library The library that was searched.
   * @param symbol The symbol that is missing.
   * @param options The error's `cause`, if any.
   */
  constructor(library: string, symbol: string, options?: ErrorOptions) {
    super(`Cannot find symbol "${symbol}" in library "${library}"`, options);
    this.library = library;
    this.symbol = symbol;
  }
}

/**
 * A system call or C function reported failure through `errno` (or, on Windows, `GetLastError()`).
 *
 * Its fields match Node's system errors: `syscall`, `errno`, `code`.
 */
export class SyscallError extends Error {
  /** Always `"SyscallError"`. */
  override name = "SyscallError";
  /** The function or system call that failed, e.g. `"ioctl"`. */
  readonly syscall: string;
  /** The error number, e.g. 9. */
  readonly errno: number;
  /** Its symbolic name, e.g. `"EBADF"` or `"ERROR_ALREADY_EXISTS"`. */
  readonly code: string;
  /** The system's description of the error, e.g. `"Bad file descriptor"`. */
  readonly description: string;

  /**
   * Makes the error; the message reads `syscall failed: code (errno): description`.
   *
   * @param syscall The function or system call that failed.
   * @param errno The error number.
   * @param code Its symbolic name.
   * @param description The system's description of it.
   * @param options The error's `cause`, if any.
   */
  constructor(syscall: string, errno: number, code: string, description: string, options?: ErrorOptions) {
    super(`${syscall} failed: ${code} (${errno}): ${description}`, options);
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
    this.description = description;
  }

  /**
   * The same failure with what the caller knows about it added to the description, e.g. which device or
   * family was missing; this error becomes its `cause`.
   *
   * @param reason Appended to the description after a colon.
   * @param syscall The call to name instead, e.g. with the path it was made on.
   * @returns A new `SyscallError`.
   */
  explained(reason: string, syscall: string = this.syscall): SyscallError {
    return new SyscallError(syscall, this.errno, this.code, `${this.description}: ${reason}`, {
      cause: this,
    });
  }
}

const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  windows: "Windows",
  linux: "Linux",
  darwin: "macOS",
  posix: "POSIX",
};

/** A function that binds one operating system's interfaces was called on another. */
export class UnsupportedPlatformError extends Error {
  /** Always `"UnsupportedPlatformError"`. */
  override name = "UnsupportedPlatformError";
  /** The function that was called, e.g. `"createJobObject"`. */
  readonly api: string;
  /** The operating system it needs: `"windows"`, `"linux"`, … */
  readonly required: string;
  /** The operating system it was called on. */
  readonly os: string;

  /**
   * Makes the error; the message names the function, the system it binds and the one it was called on.
   *
   * @param api The function that was called.
   * @param required The operating system it needs, as `Deno.build.os` names it, or `"posix"` for any but
   * Windows.
   * @param os The operating system it was called on.
   * @param options The error's `cause`, if any.
   */
  constructor(api: string, required: string, os: string, options?: ErrorOptions) {
    const needs = PLATFORM_NAMES[required] ?? required;
    super(
      `Cannot call ${api}(): it binds ${needs} interfaces, and this operating system is "${os}", not ${needs}`,
      options,
    );
    this.api = api;
    this.required = required;
    this.os = os;
  }
}

/**
 * Something was used after its `close()`: a library's symbol, a callback's pointer, native memory, a file
 * descriptor, a call batch, a job object. It extends `ReferenceError`, which these uses threw before.
 *
 * @example Using a closed library
 * ```ts
 * import { ClosedError, dlopen, i32 } from "../mod.ts";
 * const libc = dlopen("libc.so.6", { getpid: { args: [], returns: i32 } });
 * libc.close();
 * try {
 *   libc.symbols.getpid();
 * } catch (error) {
 *   console.log(error instanceof ClosedError && error.resource); // library "libc.so.6"
 * }
 * ```
 */
export class ClosedError extends ReferenceError {
  /** Always `"ClosedError"`. */
  override name = "ClosedError";
  /** What was attempted, e.g. `use "getpid"`. */
  readonly action: string;
  /** What is closed, e.g. `library "libc.so.6"`. */
  readonly resource: string;

  /**
   * Makes the error; the message reads `Cannot action: resource is closed`.
   *
   * @param action What was attempted, e.g. `use "getpid"`.
   * @param resource What is closed, e.g. `library "libc.so.6"`.
   * @param options The error's `cause`, and `state`: how the message says it is closed (`"was freed"`).
   */
  constructor(action: string, resource: string, options?: ErrorOptions & { state?: string }) {
    super(`Cannot ${action}: ${resource} ${options?.state ?? "is closed"}`, options);
    this.action = action;
    this.resource = resource;
  }
}

/**
 * The allocator returned NULL: it has no block of that size to give.
 *
 * @example Telling a failed allocation apart
 * ```ts
 * import { AllocationError, alloc } from "../mod.ts";
 * try {
 *   alloc(2 ** 52).close();
 * } catch (error) {
 *   if (error instanceof AllocationError) console.log(error.byteLength); // 4503599627370496
 * }
 * ```
 */
export class AllocationError extends Error {
  /** Always `"AllocationError"`. */
  override name = "AllocationError";
  /** The allocator that failed, e.g. `"calloc"`. */
  readonly allocator: string;
  /** The size asked for, in bytes. */
  readonly byteLength: number;

  /**
   * Makes the error; the message names the size and the allocator.
   *
   * @param allocator The allocator that failed, e.g. `"calloc"`.
   * @param byteLength The size asked for, in bytes.
   * @param options The error's `cause`, if any.
   */
  constructor(allocator: string, byteLength: number, options?: ErrorOptions) {
    super(`Cannot allocate ${byteLength} bytes: ${allocator} returned NULL`, options);
    this.allocator = allocator;
    this.byteLength = byteLength;
  }
}

/**
 * A struct was declared by value on a runtime whose FFI cannot pass structs by value (Bun, but for x86-64
 * System V, where the toolkit's C shims do). A symbol declared
 * `optional` is then bound as `null` instead. It extends `TypeError`, which it was before it had a name.
 */
export class ByValueUnsupportedError extends TypeError {
  /** Always `"ByValueUnsupportedError"`. */
  override name = "ByValueUnsupportedError";
  /** The declaration, e.g. `argument 0 of "div"`. */
  readonly declaration: string;
  /** The struct's name. */
  readonly struct: string;
  /** The runtime that cannot pass it, e.g. `"bun"`. */
  readonly runtime: string;

  /**
   * Makes the error; the message names the declaration and the struct and says what to pass instead.
   *
   * @param declaration The declaration, e.g. `argument 0 of "div"`.
   * @param struct The struct's name.
   * @param runtime The runtime that cannot pass it.
   * @param options The error's `cause`, if any.
   */
  constructor(declaration: string, struct: string, runtime: string, options?: ErrorOptions) {
    super(
      `Cannot declare ${declaration} as "${struct}" by value: ${
        runtime === "bun" ? "Bun's FFI" : `the ${runtime} runtime's FFI`
      } has no struct-by-value calls; pass a pointer to the struct (buffer) instead`,
      options,
    );
    this.declaration = declaration;
    this.struct = struct;
    this.runtime = runtime;
  }
}

/**
 * Something cannot be kept safe across threads: a non-blocking declaration the toolkit cannot carry to a pool
 * thread (refused when the table is read), a buffer that could shrink or vanish while a non-blocking call runs
 * (refused at the call, or when the call settles if it was detached meanwhile), a callback made for the
 * JavaScript thread passed to a non-blocking call, or a thread-safe callback that must give a result where the
 * runtime cannot wait for it.
 *
 * @example Telling the refusal apart
 * ```ts
 * import { ThreadSafetyError } from "../mod.ts";
 * const error = new ThreadSafetyError("pass argument 0 of read()", "its ArrayBuffer is resizable");
 * console.log(error.message); // Cannot pass argument 0 of read(): its ArrayBuffer is resizable
 * ```
 */
export class ThreadSafetyError extends TypeError {
  /** Always `"ThreadSafetyError"`. */
  override name = "ThreadSafetyError";
  /** What was attempted, e.g. `pass argument 0 of read()`. */
  readonly action: string;

  /**
   * Makes the error; the message reads `Cannot action: why`.
   *
   * @param action What was attempted.
   * @param why Why it cannot be kept safe.
   * @param options The error's `cause`, if any.
   */
  constructor(action: string, why: string, options?: ErrorOptions) {
    super(`Cannot ${action}: ${why}`, options);
    this.action = action;
  }
}
