// The routes an app serves, read from Fastify's route tree, for tests that must cover all of them.
import type { TestHerald } from "../helpers.ts";

export type Route = { method: string; path: string };

/** Every route of the app, read from Fastify's route tree (HEAD copies of GET left out). */
export function routesOf(herald: TestHerald): Route[] {
  const tree = herald.app!.printRoutes({ commonPrefix: false });
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const m = line.match(/^([│ ]*)[├└]── (\S+) \(([^)]*)\)/);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    stack.length = depth;
    stack.push(m[2] as string);
    const path = stack.join("");
    for (const method of (m[3] as string).split(", ")) {
      if (method !== "HEAD") routes.push({ method, path });
    }
  }
  return routes;
}
