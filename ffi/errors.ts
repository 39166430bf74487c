/**
 * One error class per condition a caller will catch: a library that would not load, a symbol that is not there,
 * and a system call or C function that failed with an error code.
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
   * @param required The operating system it needs, as `Deno.build.os` names it.
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
