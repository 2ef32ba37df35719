import { useEffect, useState } from 'react';

export type Loaded<T> =
  { state: 'loading' } | { state: 'failed'; error: string } | { state: 'loaded'; value: T };

/** Runs `load` whenever one of `deps` changes; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => current && setLoaded({ state: 'loaded', value }),
      (error: unknown) => current && setLoaded({ state: 'failed', error: (error as Error).message }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; `deps` say when it reads something new.
  }, [...deps, round]);
  return { loaded, reload: () => setRound((value) => value + 1) };
}

export function LoadFailed({ error }: { error: string }) {
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}
