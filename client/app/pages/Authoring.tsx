/** Instructors: write content for your organization: an item, a draft version, then publish it. */
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql/index.js';
import type { Difficulty, Track } from '../../gql/graphql.js';
import { ErrorMessage, Page, failureMessage } from '../ui.js';

const AuthoringOrganizationsQuery = graphql(`
  query AuthoringOrganizations {
    viewer {
      memberships {
        role
        organization {
          slug
          name
        }
      }
    }
  }
`);

const CreateItemMutation = graphql(`
  mutation CreateItem($input: CreateContentItemInput!) {
    createContentItem(input: $input) {
      __typename
      ... on CreateContentItemPayload {
        contentItem {
          id
          slug
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const CreateVersionMutation = graphql(`
  mutation CreateVersion($input: CreateContentVersionInput!) {
    createContentVersion(input: $input) {
      __typename
      ... on CreateContentVersionPayload {
        contentVersion {
          id
          version
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const PublishMutation = graphql(`
  mutation PublishVersion($input: PublishContentVersionInput!) {
    publishContentVersion(input: $input) {
      __typename
      ... on PublishContentVersionPayload {
        contentVersion {
          version
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const STARTER_BODY = JSON.stringify(
  {
    kind: 'CODING',
    statement: 'Return the sum of two numbers.',
    entrypoint: 'add',
    starterCode: { JAVASCRIPT: 'function add(a, b) {\n  // your code here\n}\n' },
    referenceSolution: { JAVASCRIPT: 'function add(a, b) {\n  return a + b;\n}\n' },
    testCases: [
      { name: 'small', args: [1, 2], expected: 3, hidden: false },
      { name: 'negative', args: [-4, 1], expected: -3, hidden: true },
    ],
    hints: ['What operator combines two numbers?'],
  },
  null,
  2,
);

export function AuthoringPage() {
  const [{ data }] = useQuery({ query: AuthoringOrganizationsQuery });
  const organizations = data?.viewer?.memberships.filter((m) => m.role !== 'STUDENT').map((m) => m.organization) ?? [];
  const [organizationSlug, setOrganizationSlug] = useState('');
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [track, setTrack] = useState<Track>('CODING_INTERVIEW');
  const [difficulty, setDifficulty] = useState<Difficulty>('EASY');
  const [pattern, setPattern] = useState('ARITHMETIC');
  const [body, setBody] = useState(STARTER_BODY);
  const [item, setItem] = useState<{ id: string; slug: string } | null>(null);
  const [draft, setDraft] = useState<{ id: string; version: number; status: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [, createItem] = useMutation(CreateItemMutation);
  const [, createVersion] = useMutation(CreateVersionMutation);
  const [, publish] = useMutation(PublishMutation);

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await createItem({
      input: {
        organizationSlug: organizationSlug || organizations[0]?.slug || '',
        title,
        slug,
        summary: title,
        track,
        difficulty,
        pattern,
        rung: 1,
        estimatedMinutes: 15,
        basePoints: 100,
        timeBonusPoints: 50,
      },
    });
    const payload = result.data?.createContentItem;
    if (payload?.__typename === 'CreateContentItemPayload') setItem(payload.contentItem);
    else setProblem(failureMessage(payload, result.error, 'Not created'));
  }

  async function saveVersion() {
    if (!item) return;
    setProblem(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      setProblem('The body is not valid JSON.');
      return;
    }
    const result = await createVersion({ input: { contentItemId: item.id, body: parsed } });
    const payload = result.data?.createContentVersion;
    if (payload?.__typename === 'CreateContentVersionPayload') setDraft(payload.contentVersion);
    else setProblem(failureMessage(payload, result.error, 'Not saved'));
  }

  async function publishDraft() {
    if (!draft) return;
    const result = await publish({ input: { contentVersionId: draft.id } });
    const payload = result.data?.publishContentVersion;
    if (payload?.__typename === 'PublishContentVersionPayload')
      setDraft({ ...draft, status: payload.contentVersion.status });
    else setProblem(failureMessage(payload, result.error, 'Not published'));
  }

  return (
    <Page title="Authoring">
      <form className="card form" onSubmit={create} aria-label="New content item">
        <h2>1. New item</h2>
        {organizations.length > 1 && (
          <label>
            Organization
            <select value={organizationSlug} onChange={(e) => setOrganizationSlug(e.target.value)}>
              {organizations.map((org) => (
                <option key={org.slug} value={org.slug}>
                  {org.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Title
          <input required value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Slug
          <input required pattern="[a-z0-9]+(-[a-z0-9]+)*" value={slug} onChange={(e) => setSlug(e.target.value)} />
        </label>
        <label>
          Track
          <select value={track} onChange={(e) => setTrack(e.target.value as Track)}>
            <option value="CODING_INTERVIEW">Coding interview</option>
            <option value="DEBUG_LAB">Debug lab</option>
            <option value="SYSTEM_DESIGN">System design</option>
          </select>
        </label>
        <label>
          Difficulty
          <select value={difficulty} onChange={(e) => setDifficulty(e.target.value as Difficulty)}>
            <option value="EASY">Easy</option>
            <option value="MEDIUM">Medium</option>
            <option value="HARD">Hard</option>
          </select>
        </label>
        <label>
          Pattern
          <input required value={pattern} onChange={(e) => setPattern(e.target.value.toUpperCase())} />
        </label>
        <button type="submit" disabled={Boolean(item)}>
          {item ? 'Created' : 'Create item'}
        </button>
      </form>
      <section className="card form" aria-label="Draft version">
        <h2>2. Draft version</h2>
        <label className="block">
          Body (JSON: statement, tests, reference solution…)
          <textarea rows={14} value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} />
        </label>
        <button type="button" onClick={saveVersion} disabled={!item}>
          Save draft version
        </button>
        {draft && (
          <p role="status">
            Version {draft.version}: {draft.status.toLowerCase()}
          </p>
        )}
      </section>
      <section className="card form" aria-label="Publish">
        <h2>3. Publish</h2>
        <button type="button" onClick={publishDraft} disabled={!draft || draft.status === 'PUBLISHED'}>
          Publish version
        </button>
        {draft?.status === 'PUBLISHED' && item && <Link href={`/problems/${item.slug}`}>Open the published item</Link>}
      </section>
      {problem && <ErrorMessage error={problem} title="Not saved" />}
    </Page>
  );
}
