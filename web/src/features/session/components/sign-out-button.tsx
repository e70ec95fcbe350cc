import { formatDateTime } from '@/lib/format';

import { useSession } from '../api/get-session';
import { useSignOut } from '../api/sign-out';

/** "Sign out", for a signed-in browser of a collector with a password; nothing otherwise. */
export function SignOutButton({ onSignedOut }: { onSignedOut: () => void }) {
  const session = useSession();
  const signOut = useSignOut({ onSuccess: onSignedOut });
  if (session.data?.auth !== 'password' || !session.data.signedIn) return null;
  const expiresAt = session.data.expiresAt;
  return (
    <div className="sign-out">
      <button
        type="button"
        className="button button-small"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
        title={expiresAt === null ? 'End this session on the collector' : `Signed in until ${formatDateTime(expiresAt)}; signing out ends the session on the collector`}
        data-testid="sign-out"
      >
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.isError && (
        <span className="error-inline" role="alert" data-testid="sign-out-error">
          Signing out failed: {signOut.error instanceof Error ? signOut.error.message : String(signOut.error)} Try again.
        </span>
      )}
    </div>
  );
}
