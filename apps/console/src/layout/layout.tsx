import { NavLink, Outlet } from 'react-router';
import { viewsFor } from '../auth/views';
import { useSession, useSessionState } from '../auth/session';

export function Layout() {
  const { operator } = useSession();
  const { signOut } = useSessionState();
  return (
    <>
      <header className="top">
        <span className="brand">Lead Delivery console</span>
        <nav aria-label="Views">
          {viewsFor(operator.scopes).map((view) => (
            <NavLink key={view.path} to={view.path}>
              {view.label}
            </NavLink>
          ))}
        </nav>
        <span className="who">
          {operator.name}{' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}
