import { Navigate, Route, Routes } from 'react-router';
import { SignInPage } from './auth/sign-in.page';
import { useSessionState } from './auth/session';
import { may } from './auth/views';
import { DeadLettersPage } from './dead-letters/dead-letters.page';
import { ErasuresPage } from './erasures/erasures.page';
import { Layout } from './layout/layout';
import { LeadPage } from './leads/lead.page';
import { LeadsPage } from './leads/leads.page';
import { SpeedToLeadPage } from './stats/speed-to-lead.page';

/** Signed out: the sign-in page only. Signed in: the views the token's scopes allow, no others. */
export function App() {
  const { session } = useSessionState();
  if (!session) return <SignInPage />;
  const scopes = session.operator.scopes;
  return (
    <Routes>
      <Route element={<Layout />}>
        {may(scopes, 'read') && (
          <>
            <Route path="/leads" element={<LeadsPage />} />
            <Route path="/leads/:accountId/:leadId" element={<LeadPage />} />
            <Route path="/speed-to-lead" element={<SpeedToLeadPage />} />
            <Route path="/dead-letters" element={<DeadLettersPage />} />
          </>
        )}
        {may(scopes, 'erase') && <Route path="/erasures" element={<ErasuresPage />} />}
        <Route path="*" element={<Navigate to={may(scopes, 'read') ? '/leads' : '/erasures'} replace />} />
      </Route>
    </Routes>
  );
}
