/**
 * The netlink layer: messages and attributes against the byte layout `<linux/netlink.h>` gives them (checked
 * by cc), requests against the kernel, and the errors of a closed, wrong or silent socket.
 */
import assert from "node:assert/strict";
import { closeSync, openSync } from "node:fs";
import { runC, test } from "../harness.ts";
import { cLayouts } from "../structs/_c.ts";
import { pipe, SyscallError } from "../../mod.ts";
import {
  attribute,
  concatBytes,
  GenericNetlink,
  GENL,
  NETLINK,
  netlinkAlign,
  netlinkAttribute,
  NetlinkAttributes,
  netlinkMessage,
  NetlinkSocket,
  NLA_HDRLEN,
  nlattr,
  NLM_F,
  NLMSG,
  NLMSG_HDRLEN,
  nlmsghdr,
  parseMessages,
} from "../../linux/mod.ts";
import { nlmsgerr, sockaddr_nl } from "../../linux/_extra_layouts.ts";

test("netlinkAlign() rounds up to 4 like NLMSG_ALIGN and NLA_ALIGN", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 8, 13].map(netlinkAlign), [0, 4, 4, 4, 4, 8, 8, 16]);
});

test("netlinkMessage() writes nlmsghdr and pads each part to 4 bytes", () => {
  const message = netlinkMessage(
    { type: 0x1234, flags: NLM_F.REQUEST | NLM_F.DUMP, sequence: 7, portId: 99 },
    new Uint8Array([1, 2, 3]),
    new Uint8Array([4, 5, 6, 7]),
  );
  assert.equal(message.length, 16 + 4 + 4);
  const dv = new DataView(message.buffer);
  assert.equal(dv.getUint32(0, true), 24);
  assert.equal(dv.getUint16(4, true), 0x1234);
  assert.equal(dv.getUint16(6, true), 0x301);
  assert.equal(dv.getUint32(8, true), 7);
  assert.equal(dv.getUint32(12, true), 99);
  assert.deepEqual([...message.subarray(16)], [1, 2, 3, 0, 4, 5, 6, 7]);
});

test("parseMessages() walks back-to-back messages and refuses a length past the datagram", () => {
  const a = netlinkMessage({ type: 20, sequence: 1 }, new Uint8Array([9, 9, 9]));
  const b = netlinkMessage({ type: NLMSG.DONE, sequence: 1, flags: NLM_F.MULTI }, new Uint8Array(4));
  // nlmsg_len of `a` is 19 (unpadded), as the kernel writes it; the walker must step to 20.
  new DataView(a.buffer).setUint32(0, 19, true);
  const messages = parseMessages(concatBytes([a, b]));
  assert.equal(messages.length, 2);
  assert.deepEqual([...messages[0]!.payload], [9, 9, 9]);
  assert.equal(messages[1]!.type, NLMSG.DONE);
  assert.equal(messages[1]!.flags, NLM_F.MULTI);
  const bad = netlinkMessage({ type: 20 }, new Uint8Array(4));
  new DataView(bad.buffer).setUint32(0, 64, true);
  assert.throws(() => parseMessages(bad), RangeError);
});

/** A Uint8Array whose buffer was detached (transferred away), as a datagram moved to another owner leaves. */
function detachedBytes(): Uint8Array {
  const bytes = netlinkMessage({ type: 20 }, new Uint8Array(4));
  (bytes.buffer as ArrayBuffer).transfer();
  return bytes;
}

test("parseMessages() refuses a cut-off trailing header instead of dropping it", () => {
  assert.deepEqual(parseMessages(new Uint8Array(0)), []);
  assert.throws(() => parseMessages(new Uint8Array(10)), {
    name: "RangeError",
    message:
      "Cannot read netlink message at offset 0: 10 bytes are left of the 10-byte datagram, fewer than " +
      "the 16-byte header",
  });
  // One whole message (20 bytes), then 6 bytes of a second header.
  const cut = concatBytes([netlinkMessage({ type: 20 }, new Uint8Array(4)), new Uint8Array(6)]);
  assert.throws(() => parseMessages(cut), {
    name: "RangeError",
    message:
      "Cannot read netlink message at offset 20: 6 bytes are left of the 26-byte datagram, fewer than " +
      "the 16-byte header",
  });
});

test("parseMessages() names an ArrayBuffer, a non-buffer or detached bytes in its own words", () => {
  const message = netlinkMessage({ type: 20 }, new Uint8Array(4));
  assert.throws(() => parseMessages(message.buffer as never), {
    name: "TypeError",
    message: "Cannot walk a netlink datagram: expected a Uint8Array, got ArrayBuffer",
  });
  assert.throws(() => parseMessages(undefined as never), {
    name: "TypeError",
    message: "Cannot walk a netlink datagram: expected a Uint8Array, got undefined",
  });
  assert.throws(() => parseMessages(detachedBytes()), {
    name: "TypeError",
    message: "Cannot walk a netlink datagram: its buffer is detached",
  });
});

test("parseMessages() refuses a datagram its resizable buffer shrank below, rather than read no messages", () => {
  const message = netlinkMessage({ type: 20 }, new Uint8Array(4));
  const rab = new ArrayBuffer(64, { maxByteLength: 64 });
  const datagram = new Uint8Array(rab, 8, message.byteLength);
  datagram.set(message);
  assert.equal(parseMessages(datagram).length, 1);
  rab.resize(4);
  assert.throws(() => parseMessages(datagram), {
    name: "TypeError",
    message: "Cannot walk a netlink datagram: the buffer is shorter than the view now",
  });
  // One still in bounds but empty holds no messages.
  assert.deepEqual(parseMessages(new Uint8Array(rab, 4, 0)), []);
});

test("NetlinkAttributes refuses trailing bytes, an ArrayBuffer and detached bytes; a last attribute may be unpadded", () => {
  // A u16 attribute ending the payload without its padding: nla_len 6, and 6 bytes.
  const unpadded = attribute.u16(1, 7).subarray(0, 6);
  assert.equal(new NetlinkAttributes(unpadded).u16(1), 7);
  const trailing = concatBytes([attribute.u32(1, 42), new Uint8Array(2)]);
  assert.throws(() => new NetlinkAttributes(trailing), {
    name: "RangeError",
    message:
      "Cannot read netlink attribute at offset 8: 2 bytes are left of the 10-byte payload, fewer than " +
      "the 4-byte header",
  });
  assert.throws(() => new NetlinkAttributes(new Uint8Array(3)), /offset 0: 3 bytes are left/);
  assert.throws(() => new NetlinkAttributes(new ArrayBuffer(8) as never), {
    name: "TypeError",
    message: "Cannot walk a netlink attribute payload: expected a Uint8Array, got ArrayBuffer",
  });
  assert.throws(() => new NetlinkAttributes(detachedBytes()), {
    name: "TypeError",
    message: "Cannot walk a netlink attribute payload: its buffer is detached",
  });
});

test("attribute.string() refuses a NUL, where the kernel would end the string", () => {
  assert.throws(() => attribute.string(2, "TASK\0STATS"), {
    name: "TypeError",
    message: "Cannot encode string attribute 2: the string has a NUL at index 4",
  });
  assert.throws(() => attribute.string(2, 5 as never), {
    name: "TypeError",
    message: "Cannot encode string attribute 2: expected a string, got number",
  });
});

test("attribute builders and NetlinkAttributes walk nested, padded and typed attributes", () => {
  const bytes = concatBytes([
    attribute.string(1, "abc"), // 4 + 4 bytes: "abc\0"
    attribute.u16(2, 0xbeef), // 4 + 2, padded to 8
    attribute.u32(3, 0xdeadbeef),
    attribute.nested(4, attribute.u32(1, 5), attribute.string(2, "x")),
    netlinkAttribute(5, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])),
  ]);
  assert.equal(bytes.length, 8 + 8 + 8 + (4 + 8 + 8) + 12);
  const attrs = new NetlinkAttributes(bytes);
  assert.equal(attrs.length, 5);
  assert.equal(attrs.string(1), "abc");
  assert.equal(attrs.u16(2), 0xbeef);
  assert.equal(attrs.u32(3), 0xdeadbeef);
  assert.equal(attrs.u64(5), 0x0807060504030201n);
  const nested = attrs.nested(4)!;
  assert.equal(nested.u32(1), 5);
  assert.equal(nested.string(2), "x");
  assert.equal([...attrs].find((a) => a.type === 4)!.nested, true);
  assert.equal(attrs.get(99), undefined);
  assert.throws(() => new NetlinkAttributes(new Uint8Array([200, 0, 1, 0])), RangeError);
});

test("NLMSG_HDRLEN and NLA_HDRLEN are C's macros and the headers' aligned sizes", () => {
  const [hdrlen, nlaHdrlen] = runC(`#include <stdio.h>
#include <linux/netlink.h>
int main(void) { printf("%d %d\\n", (int)NLMSG_HDRLEN, (int)NLA_HDRLEN); return 0; }
`).trim().split(" ").map(Number);
  assert.equal(NLMSG_HDRLEN, hdrlen);
  assert.equal(NLA_HDRLEN, nlaHdrlen);
  assert.equal(NLMSG_HDRLEN, netlinkAlign(nlmsghdr.size));
  assert.equal(NLA_HDRLEN, netlinkAlign(nlattr.size));
});

test("sockaddr_nl and nlmsgerr match cc and <linux/netlink.h>", () => {
  const c = cLayouts("#include <linux/netlink.h>\n", {
    "struct sockaddr_nl": ["nl_family", "nl_pad", "nl_pid", "nl_groups"],
    "struct nlmsgerr": ["error", "msg"],
  });
  const nl = c.get("struct sockaddr_nl")!;
  assert.equal(sockaddr_nl.size, nl.size);
  for (const f of sockaddr_nl.fields) assert.equal(f.offset, nl.offsets.get(f.name), f.name);
  const err = c.get("struct nlmsgerr")!;
  assert.equal(nlmsgerr.size, err.size);
  for (const f of nlmsgerr.fields) assert.equal(f.offset, err.offsets.get(f.name), f.name);
});

test("GenericNetlink.family() resolves nlctrl to its fixed id 0x10 and TASKSTATS to a dynamic one", () => {
  using netlink = GenericNetlink.open();
  const ctrl = netlink.family("nlctrl");
  assert.equal(ctrl.id, GENL.ID_CTRL);
  assert.equal(ctrl.name, "nlctrl");
  assert.ok(ctrl.multicastGroups.has("notify"), "nlctrl has its notify group");
  const taskstats = netlink.family("TASKSTATS");
  assert.ok(taskstats.id > GENL.ID_CTRL, `TASKSTATS id ${taskstats.id}`);
  assert.equal(netlink.family("TASKSTATS"), taskstats, "cached");
});

test("GenericNetlink.family() reports an unknown family as SyscallError ENOENT naming it", () => {
  using netlink = GenericNetlink.open();
  assert.throws(() => netlink.family("NO_SUCH_FAMILY"), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.syscall, "netlink CTRL_CMD_GETFAMILY");
    assert.equal(error.code, "ENOENT");
    assert.equal(error.errno, 2);
    assert.match(error.message, /no generic netlink family "NO_SUCH_FAMILY"/);
    return true;
  });
});

test("NetlinkSocket.request() adds the kernel's extended-ACK message to the error", () => {
  using netlink = GenericNetlink.open();
  // Longer than GENL_NAMSIZ (16 with the NUL): the attribute policy refuses it.
  assert.throws(() => netlink.family("A_NAME_TOO_LONG_FOR_GENL"), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.code, "EINVAL");
    assert.match(error.description, /\(kernel: .+\)/, error.description);
    return true;
  });
});

test("NetlinkSocket.request() collects a multipart dump until NLMSG_DONE", () => {
  using socket = NetlinkSocket.open(NETLINK.GENERIC);
  const reply = socket.request(
    { type: GENL.ID_CTRL, flags: NLM_F.DUMP },
    { name: "CTRL_CMD_GETFAMILY", keep: true },
    new Uint8Array([GENL.CTRL_CMD_GETFAMILY, 1, 0, 0]),
  );
  const names = reply.messages.map((m) =>
    new NetlinkAttributes(m.payload.subarray(4)).string(GENL.CTRL_ATTR_FAMILY_NAME)
  );
  assert.ok(names.includes("nlctrl"), names.join(","));
  assert.ok(names.includes("TASKSTATS"), names.join(","));
  assert.ok(reply.messages.every((m) => (m.flags & NLM_F.MULTI) !== 0), "every part is NLM_F_MULTI");
  assert.ok(reply.datagrams.length >= 2, "the parts and NLMSG_DONE");
});

test("NetlinkSocket.request() without keep moves a multipart reply out of its reused buffer intact", () => {
  using socket = NetlinkSocket.open(NETLINK.GENERIC, { receiveBufferSize: 64 });
  const ask = () =>
    socket.request(
      { type: GENL.ID_CTRL, flags: NLM_F.DUMP },
      new Uint8Array([GENL.CTRL_CMD_GETFAMILY, 1, 0, 0]),
    );
  const names = (reply: ReturnType<typeof ask>) =>
    reply.messages.map((m) =>
      new NetlinkAttributes(m.payload.subarray(4)).string(GENL.CTRL_ATTR_FAMILY_NAME)
    );
  const first = ask();
  const before = names(first);
  // A second request reuses the socket's buffer: the first reply's payloads must not change under it.
  const second = ask();
  assert.deepEqual(names(first), before);
  assert.deepEqual(names(second), before);
  assert.ok(before.includes("TASKSTATS"));
});

test("NetlinkSocket.request() ends a dump at NLMSG_DONE when NLM_F.ACK was asked too: the kernel sends no ACK", () => {
  // A timeout, so that waiting for the ACK that never comes fails instead of hanging.
  using socket = NetlinkSocket.open(NETLINK.GENERIC, { receiveTimeout: 2000 });
  const dump = (flags: number) =>
    socket.request(
      { type: GENL.ID_CTRL, flags },
      { name: "CTRL_CMD_GETFAMILY", keep: true },
      new Uint8Array([GENL.CTRL_CMD_GETFAMILY, 1, 0, 0]),
    ).messages.map((m) => new NetlinkAttributes(m.payload.subarray(4)).string(GENL.CTRL_ATTR_FAMILY_NAME));
  const started = Date.now();
  const withAck = dump(NLM_F.DUMP | NLM_F.ACK);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms: it waited for an ACK`);
  assert.ok(withAck.includes("nlctrl") && withAck.includes("TASKSTATS"), withAck.join(","));
  assert.deepEqual(withAck, dump(NLM_F.DUMP), "the same rows as without NLM_F.ACK");
});

test("NetlinkSocket.request() the kernel does not answer fails with EAGAIN naming the request and the wait", () => {
  // CGROUPSTATS_CMD_GET (4, <linux/cgroupstats.h>) of a descriptor that is not open: cgroupstats_user_cmd
  // returns 0 without a reply, and without NLM_F.ACK the kernel sends nothing at all.
  using netlink = GenericNetlink.open({ receiveTimeout: 50 });
  const taskstats = netlink.family("TASKSTATS");
  const started = Date.now();
  assert.throws(
    () =>
      netlink.socket.request(
        { type: taskstats.id },
        { name: "CGROUPSTATS_CMD_GET" },
        new Uint8Array([4, 1, 0, 0]),
        attribute.u32(1, 0x7fffffff), // CGROUPSTATS_CMD_ATTR_FD
      ),
    (error: unknown) => {
      assert.ok(error instanceof SyscallError, String(error));
      assert.equal(error.syscall, "netlink CGROUPSTATS_CMD_GET");
      assert.equal(error.code, "EAGAIN");
      assert.equal(error.errno, 11);
      assert.match(
        error.message,
        new RegExp(
          `no reply came within the 50 ms receive timeout \\(netlink message type ${taskstats.id}\\b`,
        ),
      );
      assert.ok(error.cause instanceof SyscallError && error.cause.syscall === "recvfrom");
      return true;
    },
  );
  assert.ok(Date.now() - started >= 40);
});

test("GenericNetlink.request() results are views of the receive buffer unless keep is passed", () => {
  using netlink = GenericNetlink.open();
  const ctrl = netlink.family("nlctrl");
  const ask = (name: string, keep?: boolean) =>
    netlink.request(ctrl, GENL.CTRL_CMD_GETFAMILY, {
      name: "CTRL_CMD_GETFAMILY",
      attributes: [attribute.string(GENL.CTRL_ATTR_FAMILY_NAME, name)],
      ...(keep === undefined ? {} : { keep }),
    });
  const nameOf = (reply: ReturnType<typeof ask>) => reply[0]!.attributes.string(GENL.CTRL_ATTR_FAMILY_NAME);
  // Without keep: one datagram, read into the socket's buffer, which the next request reads into again.
  const shared = ask("nlctrl");
  assert.equal(nameOf(shared), "nlctrl");
  const next = ask("TASKSTATS");
  assert.equal(shared[0]!.message.payload.buffer, next[0]!.message.payload.buffer, "the same buffer");
  assert.notEqual(nameOf(shared), "nlctrl", "overwritten by the next request, as documented");
  // With keep: the reply has buffers of its own and outlives the requests after it.
  const kept = ask("nlctrl", true);
  ask("TASKSTATS");
  ask("TASKSTATS", true);
  assert.equal(nameOf(kept), "nlctrl");
  assert.notEqual(kept[0]!.message.payload.buffer, next[0]!.message.payload.buffer);
});

test("NetlinkSocket.open() rounds a fractional receiveTimeout to microseconds and refuses a bad one", () => {
  // 1500.5 ms is 1 s and 500500 µs; 0.0004 ms rounds up to 1 µs, never to 0 ("wait forever").
  NetlinkSocket.open(NETLINK.GENERIC, { receiveTimeout: 1500.5 }).close();
  using tiny = NetlinkSocket.open(NETLINK.GENERIC, { receiveTimeout: 0.0004 });
  assert.throws(() => tiny.receive(), (e: unknown) => e instanceof SyscallError && e.code === "EAGAIN");
  for (const bad of [-1, NaN, Infinity, 2 ** 60]) {
    assert.throws(
      () => NetlinkSocket.open(NETLINK.GENERIC, { receiveTimeout: bad }),
      (error: unknown) => {
        assert.ok(error instanceof RangeError, String(error));
        assert.match(error.message, new RegExp(`receiveTimeout ${bad}: expected milliseconds from 0`));
        return true;
      },
    );
  }
});

test("NetlinkSocket.receive() grows its buffer to a datagram larger than it instead of truncating", () => {
  using socket = NetlinkSocket.open(NETLINK.GENERIC, { receiveBufferSize: 32 });
  assert.equal(socket.receiveBufferSize, 32);
  // nlctrl's description lists its operations: far more than 32 bytes.
  const reply = socket.request(
    { type: GENL.ID_CTRL },
    new Uint8Array([GENL.CTRL_CMD_GETFAMILY, 1, 0, 0]),
    attribute.string(GENL.CTRL_ATTR_FAMILY_NAME, "nlctrl"),
  );
  const datagram = reply.datagrams[0]!;
  assert.ok(datagram.byteLength > 32, `datagram of ${datagram.byteLength} bytes`);
  assert.ok(socket.receiveBufferSize >= datagram.byteLength);
  const message = reply.messages[0]!;
  assert.equal(
    new DataView(datagram.buffer, datagram.byteOffset).getUint32(0, true),
    message.payload.byteLength + 16,
  );
  assert.equal(
    new NetlinkAttributes(message.payload.subarray(4)).string(GENL.CTRL_ATTR_FAMILY_NAME),
    "nlctrl",
  );
});

test("NetlinkSocket.request() turns NLMSG_ERROR into SyscallError with the kernel's errno (wrong protocol)", () => {
  // A generic netlink request sent to a sock_diag socket: the kernel answers EINVAL.
  using socket = NetlinkSocket.open(NETLINK.SOCK_DIAG);
  assert.throws(
    () => socket.request({ type: GENL.ID_CTRL }, { name: "CTRL_CMD_GETFAMILY" }, new Uint8Array(4)),
    (error: unknown) => {
      assert.ok(error instanceof SyscallError, String(error));
      assert.equal(error.syscall, "netlink CTRL_CMD_GETFAMILY");
      assert.equal(error.code, "EINVAL");
      return true;
    },
  );
});

test("NetlinkSocket fails with SyscallError EBADF once closed", () => {
  const socket = NetlinkSocket.open(NETLINK.GENERIC);
  socket.close();
  socket.close(); // twice is fine
  assert.equal(socket.fd, -1);
  assert.throws(() => socket.send(new Uint8Array(16)), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.syscall, "sendto");
    assert.equal(error.code, "EBADF");
    assert.equal(error.errno, 9);
    return true;
  });
  assert.throws(() => socket.receive(), (e: unknown) => e instanceof SyscallError && e.code === "EBADF");
});

test("NetlinkSocket.adopt() of a descriptor that is not a socket fails with ENOTSOCK", () => {
  const [reader, writer] = pipe();
  try {
    const socket = NetlinkSocket.adopt(writer.fd, NETLINK.GENERIC);
    assert.throws(
      () => socket.send(netlinkMessage({ type: GENL.ID_CTRL }, new Uint8Array(4))),
      (error: unknown) => {
        assert.ok(error instanceof SyscallError);
        assert.equal(error.syscall, "sendto");
        assert.equal(error.code, "ENOTSOCK");
        return true;
      },
    );
    socket.close(); // not owned: the pipe stays open
    assert.equal(writer.closed, false);
  } finally {
    reader.close();
    writer.close();
  }
  // A descriptor number that was open and is now closed.
  const fd = openSync("/dev/null", "r");
  closeSync(fd);
  assert.throws(
    () => NetlinkSocket.adopt(fd, NETLINK.GENERIC).send(new Uint8Array(16)),
    (e: unknown) => e instanceof SyscallError && e.code === "EBADF",
  );
});

test("NetlinkSocket.receive() gives up after the receive timeout with EAGAIN", () => {
  using socket = NetlinkSocket.open(NETLINK.GENERIC, { receiveTimeout: 50 });
  const started = Date.now();
  assert.throws(() => socket.receive(), (error: unknown) => {
    assert.ok(error instanceof SyscallError);
    assert.equal(error.syscall, "recvfrom");
    assert.equal(error.code, "EAGAIN");
    return true;
  });
  assert.ok(Date.now() - started >= 40);
});

test("NetlinkSocket.open() refuses a protocol the kernel does not have", () => {
  assert.throws(
    () => NetlinkSocket.open(31),
    (e: unknown) => e instanceof SyscallError && e.syscall === "socket",
  );
});
