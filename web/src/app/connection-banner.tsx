import { useEffect, useState } from 'react';
import { useConnectionLost, type ConnectionStatus } from '../data/connection-status.js';

function useBrowserOffline(): boolean {
  const [offline, setOffline] = useState(() => !navigator.onLine);
  useEffect(() => {
    const update = () => setOffline(!navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return offline;
}

/**
 * Says so when the server stops answering (or the browser goes offline), above every page, and
 * goes away by itself once calls succeed again. What is on screen stays: it is the last data seen.
 */
export function ConnectionBanner(props: { connection: ConnectionStatus }) {
  const lost = useConnectionLost(props.connection);
  const offline = useBrowserOffline();
  if (!lost && !offline) return null;
  return (
    <div className="connection-banner" role="alert">
      <strong>Connection lost.</strong>{' '}
      {offline
        ? 'This browser is offline.'
        : 'The Keel server does not answer; it may be restarting or the network is down.'}{' '}
      What you see may be out of date; Keel retries by itself.
    </div>
  );
}
