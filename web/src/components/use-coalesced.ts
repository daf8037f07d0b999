// Many stream messages, one piece of work: calls to the returned function within `ms` of each
// other run `work` once, at the end of that time. Keeps a burst of thousands of events from
// re-rendering or refetching thousands of times.
import { useCallback, useEffect, useRef } from "react";

export function useCoalesced(work: () => void, ms: number): () => void {
  const latest = useRef(work);
  latest.current = work;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  }, [ms]);
}
