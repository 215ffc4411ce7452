/** Instructors: the classes you teach and their students. */
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql/index.js';
import { Empty, ErrorMessage, Loading, Page } from '../ui.js';

const ClassesQuery = graphql(`
  query Classes {
    classes(first: 50) {
      edges {
        node {
          id
          name
          viewerRole
          organization {
            name
          }
          students {
            id
            name
            points
            solvedCount
            currentStreak
          }
        }
      }
    }
  }
`);

export function ClassesPage() {
  const [{ data, fetching, error }] = useQuery({ query: ClassesQuery, requestPolicy: 'cache-and-network' });
  if (error) return <ErrorMessage error={error} title="Could not load your classes" />;
  if (fetching && !data) return <Loading what="your classes" />;
  const classes = data?.classes.edges.map((edge) => edge.node).filter((c) => c.viewerRole !== 'STUDENT') ?? [];
  return (
    <Page title="Your classes">
      {classes.length === 0 && <Empty>You do not teach any class yet.</Empty>}
      {classes.map((cls) => (
        <section key={cls.id} className="card" aria-label={cls.name}>
          <h2>
            {cls.name} <span className="meta">· {cls.organization.name}</span>
          </h2>
          {cls.students.length === 0 ? (
            <Empty>No student is enrolled yet.</Empty>
          ) : (
            <table className="board" aria-label={`Students of ${cls.name}`}>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Points</th>
                  <th scope="col">Solved</th>
                  <th scope="col">Streak</th>
                </tr>
              </thead>
              <tbody>
                {cls.students.map((student) => (
                  <tr key={student.id}>
                    <td>
                      <Link href={`/students/${encodeURIComponent(student.id)}`}>{student.name}</Link>
                    </td>
                    <td>{student.points}</td>
                    <td>{student.solvedCount}</td>
                    <td>{student.currentStreak}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </Page>
  );
}
