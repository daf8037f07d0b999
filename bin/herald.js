#!/usr/bin/env node
// Entry point: Herald runs its TypeScript sources through tsx's loader, in this one process
// (no wrapper process, so a signal sent to this pid reaches Herald itself).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
