// The live stream's cursors: what is sent, what is held back for a late commit, what is
// never sent twice. (Rows here are made up; test/http/stream.test.ts drives real ones.)
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventChange, TimedChange } from "../../src/stream/changes.ts";
import { SeqCursor, TimeCursor } from "../../src/stream/cursors.ts";

const ev = (seq: number, readUs = 1000): EventChange => ({
  seq: BigInt(seq),
  readUs: BigInt(readUs),
  json: { id: `e${seq}`, tenant: null, type: "t", source: null, created_at: "", deliveries: 0 },
});
const seqs = (rows: EventChange[]) => rows.map((r) => Number(r.seq));

test("events: a skipped seq is looked up until the horizon passes when it was noticed", () => {
  const c = new SeqCursor(10n);
  assert.deepEqual(seqs(c.advance([ev(11), ev(13), ev(14)], 500n)), [11, 13, 14]);
  assert.deepEqual(c.gapList(), [12n]);
  assert.equal(c.after, 14n);
  // Its transaction is still open (horizon before the moment it was noticed): kept.
  assert.deepEqual(seqs(c.advance([ev(15, 2000)], 999n)), [15]);
  assert.deepEqual(c.gapList(), [12n]);
  // It commits: sent once, no longer a gap.
  assert.deepEqual(seqs(c.advance([ev(12, 3000)], 999n)), [12]);
  assert.deepEqual(c.gapList(), []);
  assert.deepEqual(seqs(c.advance([ev(12, 3000)], 999n)), [], "never twice");
});

test("events: a gap whose transaction ended without it (rolled back, a duplicate) is dropped", () => {
  const c = new SeqCursor(0n);
  c.advance([ev(1), ev(3, 1000)], 0n);
  assert.deepEqual(c.gapList(), [2n]);
  c.advance([], 1001n);
  assert.deepEqual(c.gapList(), []);
});

test("events: gaps below the starting point are watched too; huge jumps are not tracked", () => {
  const c = new SeqCursor(100n, [97n, 99n], 1000n);
  assert.deepEqual(c.gapList(), [97n, 99n]);
  assert.deepEqual(seqs(c.advance([ev(99)], 0n)), [99]);
  c.advance([ev(5_000)], 0n);
  assert.deepEqual(c.gapList(), [97n], "a run of 4,899 missing seqs is not a set of gaps");
});

const row = (id: string, us: number): TimedChange<string> => ({ id, us: BigInt(us), json: id });
const ids = (rows: TimedChange<string>[]) => rows.map((r) => `${r.id}@${r.us}`);

test("rows by time: the cursor stops at the horizon; rows past it are not sent again", () => {
  const c = new TimeCursor(0n);
  assert.deepEqual(ids(c.advance([row("a", 10), row("b", 20), row("c", 30)], 25n)), [
    "a@10",
    "b@20",
    "c@30",
  ]);
  assert.deepEqual(c.position, { us: 20n, id: "b" });
  // Read again from b: c is not new; d (stamped before c, committed late) is.
  assert.deepEqual(ids(c.advance([row("d", 22), row("c", 30)], 25n)), ["d@22"]);
  // c changes again: new stamp, sent again.
  assert.deepEqual(c.position, { us: 22n, id: "d" });
  assert.deepEqual(ids(c.advance([row("c", 40)], 45n)), ["c@40"]);
  assert.deepEqual(c.position, { us: 40n, id: "c" });
});

test("rows by time: after an overflow the cursor goes on from the horizon, never back", () => {
  const c = new TimeCursor(100n, "x");
  c.skipTo(50n);
  assert.deepEqual(c.position, { us: 100n, id: "x" });
  c.skipTo(200n);
  assert.deepEqual(c.position, { us: 200n, id: "" });
});
