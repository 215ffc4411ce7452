/** Sign in with email and password (the demo accounts use the password `practice`), or create an account. */
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

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload {
        token
      }
      ... on InvalidInput {
        issues {
          path
          message
        }
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
      <SignUpForm />
    </main>
  );
}

type SignUpField = 'name' | 'email' | 'password';
const SIGN_UP_LABELS: Record<SignUpField, string> = { name: 'Name', email: 'Email', password: 'Password' };

/** A new account: the server's objections shown beside the field they are about. */
function SignUpForm() {
  const { signIn } = useSession();
  const [fields, setFields] = useState<Record<SignUpField, string>>({ name: '', email: '', password: '' });
  const [issues, setIssues] = useState<Partial<Record<SignUpField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching, error }, signUp] = useMutation(SignUpMutation);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIssues({});
    setProblem(null);
    const result = await signUp({ input: { name: fields.name, email: fields.email, password: fields.password } });
    const payload = result.data?.signUp;
    if (payload?.__typename === 'AuthPayload') signIn(payload.token);
    else if (payload?.__typename === 'EmailTaken') setIssues({ email: payload.message });
    else if (payload?.__typename === 'InvalidInput') {
      const byField: Partial<Record<SignUpField, string>> = {};
      const rest: string[] = [];
      for (const issue of payload.issues) {
        const field = issue.path[1];
        if (field && field in SIGN_UP_LABELS) {
          const key = field as SignUpField;
          byField[key] = [byField[key], `${SIGN_UP_LABELS[key]} ${issue.message}`].filter(Boolean).join('; ');
        } else rest.push(issue.message);
      }
      setIssues(byField);
      if (rest.length > 0) setProblem(rest.join('; '));
    } else if (payload && 'message' in payload) setProblem(payload.message);
  }

  const field = (name: SignUpField, type: string, autoComplete: string) => (
    <label>
      {SIGN_UP_LABELS[name]}
      <input
        type={type}
        autoComplete={autoComplete}
        required
        value={fields[name]}
        aria-invalid={issues[name] ? true : undefined}
        aria-describedby={issues[name] ? `sign-up-${name}-issue` : undefined}
        onChange={(e) => setFields((current) => ({ ...current, [name]: e.target.value }))}
      />
      {issues[name] && (
        <span className="invalid-text" id={`sign-up-${name}-issue`}>
          {issues[name]}
        </span>
      )}
    </label>
  );

  return (
    <form onSubmit={submit} className="card form" aria-labelledby="sign-up-title">
      <h2 id="sign-up-title">Create an account</h2>
      {field('name', 'text', 'name')}
      {field('email', 'email', 'email')}
      {field('password', 'password', 'new-password')}
      <p className="hint">At least 8 characters.</p>
      {problem && <ErrorMessage error={problem} title="No account created" />}
      {error && <ErrorMessage error={error} title="No account created" />}
      <button type="submit" disabled={fetching}>
        {fetching ? 'Creating…' : 'Create an account'}
      </button>
    </form>
  );
}
