// Builds the dashboard into web/dist, which Herald serves at `/`. Relative asset paths
// (base "./") keep the build working wherever it is mounted; routing is in the URL hash,
// so the server needs no knowledge of the app's screens.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev -- …` proxies the API to a running Herald (HERALD_URL, default port 3000).
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const herald = env?.HERALD_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
  server: { proxy: { "/v1": herald, "/health": herald } },
});
