/** Sign in with email and password (the demo accounts use the password `practice`). */
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/index.js';
import { useSession } from '../session.js';
import { ErrorMessage } from '../ui.js';

const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload {
        token
      }
      ... on Error {
        message
      }
    }
  }
`);

export function LoginPage() {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching, error }, logIn] = useMutation(LogInMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await logIn({ input: { email, password } });
    const payload = result.data?.logIn;
    if (payload?.__typename === 'AuthPayload') signIn(payload.token);
    else if (payload && 'message' in payload) setProblem(payload.message);
  }

  return (
    <main className="main narrow">
      <h1>Sign in to practise</h1>
      <form onSubmit={submit} className="card form" aria-label="Sign in">
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {problem && <ErrorMessage error={problem} title="Could not sign in" />}
        {error && <ErrorMessage error={error} title="Could not sign in" />}
        <button type="submit" disabled={fetching}>
          {fetching ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Demo: student1@demo.test or instructor@demo.test, password “practice”.</p>
      </form>
    </main>
  );
}
