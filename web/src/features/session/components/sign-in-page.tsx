import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import { collectorLabel } from '@/lib/api-client';

import { getSessionQueryOptions } from '../api/get-session';
import { useSignIn } from '../api/sign-in';
import { describeSignInError, type SignInProblem } from '../lib/sign-in-error';

interface SignInPageProps {
  /** Called once this browser is signed in, or when the collector needs no sign-in. */
  onSignedIn: () => void;
}

function Problem({ problem, id }: { problem: SignInProblem; id?: string }) {
  return (
    <div className="error-message" role="alert" id={id} data-testid="sign-in-error" data-kind={problem.kind}>
      <p className="error-title">{problem.title}</p>
      <p className="error-hint">{problem.hint}</p>
    </div>
  );
}

/**
 * The admin password form. Asks the collector first: a browser that is already signed
 * in, or a collector without sign-in (CLOSEWATCH_AUTH=none), goes straight on.
 */
export function SignInPage({ onSignedIn }: SignInPageProps) {
  // Always asked again on arrival: a cached "signed in" may be the session that just ended.
  const session = useQuery({ ...getSessionQueryOptions(), refetchOnMount: 'always' });
  const signIn = useSignIn();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<SignInProblem | null>(null);
  const passwordId = useId();
  const errorId = useId();
  const onSignedInRef = useRef(onSignedIn);
  useEffect(() => {
    onSignedInRef.current = onSignedIn;
  });

  const through =
    session.data !== undefined && session.isFetchedAfterMount && !session.isFetching && (session.data.signedIn || session.data.auth === 'none');
  useEffect(() => {
    if (through) onSignedInRef.current();
  }, [through]);

  // A rate limit holds the form until its wait is over, then clears its message.
  const retryAt = problem?.retryAt ?? null;
  useEffect(() => {
    if (retryAt === null) return;
    const timer = setTimeout(() => setProblem(null), Math.max(0, retryAt - Date.now()));
    return () => clearTimeout(timer);
  }, [retryAt]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (password === '' || signIn.isPending || retryAt !== null) return;
    setProblem(null);
    signIn.mutate(password, { onError: (error) => setProblem(describeSignInError(error, Date.now())) });
  };

  if (session.data === undefined && session.isPending) {
    return (
      <div className="loading" role="status" data-testid="sign-in-checking">
        <span className="spinner" aria-hidden="true" />
        Checking whether this browser is signed in…
      </div>
    );
  }

  const titleId = `${passwordId}-title`;
  return (
    <section className="panel sign-in" data-testid="sign-in" aria-labelledby={titleId}>
      <h1 id={titleId}>Sign in to closewatch</h1>
      {/* The collector could not be asked at all: say so before anyone types a password. */}
      {problem === null && session.isError && session.data === undefined && <Problem problem={describeSignInError(session.error, Date.now())} />}
      <form className="sign-in-form" onSubmit={submit} noValidate>
        {/* For password managers: the dashboard has one account. */}
        <input type="text" name="username" autoComplete="username" value="admin" readOnly hidden />
        <label htmlFor={passwordId}>Admin password</label>
        <input
          id={passwordId}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          autoFocus
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={problem?.kind === 'wrong-password' ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          data-testid="sign-in-password"
        />
        {problem && <Problem problem={problem} id={errorId} />}
        <button
          type="submit"
          className="button button-primary"
          disabled={password === '' || signIn.isPending || retryAt !== null}
          data-testid="sign-in-submit"
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="sign-in-help" data-testid="sign-in-help">
        <h2>Where is the password?</h2>
        <ul>
          <li>
            The collector printed it once, at its first start, under &ldquo;Admin password&rdquo; in the output of{' '}
            <code>npm start</code>.
          </li>
          <li>
            If <code>CLOSEWATCH_ADMIN_PASSWORD</code> is set where the collector runs, the password is that value.
          </li>
          <li>
            Lost it? <code>npm run keys -- reset-admin-password</code> sets a new one and prints it (and signs every browser
            out).
          </li>
        </ul>
        <p className="muted">
          Collector: <code>{collectorLabel()}</code>
        </p>
      </div>
    </section>
  );
}
