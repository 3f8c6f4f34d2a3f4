import { from, Observable, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';

/**
 * Back-pressure for a slow async stage: at most one `project` call in flight. Items arriving while it runs are
 * not queued: only the newest is kept and runs next, each item it replaces is dropped (reported to `onDrop`).
 * Unlike plain exhaustMap the stage never idles while a fresh item waits, and unlike concatMap the backlog is at
 * most one item, so latency stays bounded when the stage is slower than its input.
 */
export function exhaustLatest<T, R>(
  project: (value: T) => ObservableInput<R>,
  onDrop: (value: T) => void = () => undefined,
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let inner: Subscription | null = null;
      let busy = false;
      let pending: { value: T } | null = null;
      let sourceDone = false;

      const run = (value: T): void => {
        busy = true;
        inner = from(project(value)).subscribe({
          next: (result) => subscriber.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            busy = false;
            inner = null;
            if (pending) {
              const next = pending.value;
              pending = null;
              run(next);
            } else if (sourceDone) {
              subscriber.complete();
            }
          },
        });
      };

      const outer = source.subscribe({
        next: (value) => {
          if (!busy) return run(value);
          if (pending) onDrop(pending.value);
          pending = { value };
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (!busy) subscriber.complete();
        },
      });

      return () => {
        outer.unsubscribe();
        inner?.unsubscribe();
      };
    });
}
