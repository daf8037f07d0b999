// The seed client's endpoints: POST /events { target_url } delivers to one endpoint per URL,
// made on first use (endpoints/store.ts: legacyEndpointFor). Their ids are kept here, so a
// known URL costs no database write per request (the upsert was its own transaction on every
// request: POST /events ran at a quarter of POST /v1/events). An endpoint deleted meanwhile is
// noticed where it matters: the event, sent with requireDelivery, is refused rather than
// stored undelivered, and the route makes the URL's endpoint again.
import type { Context } from "../context.ts";
import { legacyEndpointFor } from "./store.ts";

/** URLs remembered at most; past it the oldest is forgotten (and looked up again if used). */
const MAX_URLS = 10_000;

export class LegacyEndpoints {
  private readonly ids = new Map<string, string>();

  constructor(private readonly ctx: Context) {}

  /** The endpoint for `url`, made (and audited) on its first use. */
  async idFor(url: string): Promise<string> {
    const known = this.ids.get(url);
    if (known) return known;
    const id = await legacyEndpointFor(this.ctx, url);
    if (this.ids.size >= MAX_URLS) this.ids.delete(this.ids.keys().next().value as string);
    this.ids.set(url, id);
    return id;
  }

  forget(url: string): void {
    this.ids.delete(url);
  }
}
