import { SentinelApp } from './app';
import { queryDom } from './dom';

const app = new SentinelApp(queryDom());
app.init().catch((error: unknown) => {
  const banner = document.getElementById('banner');
  if (banner) {
    banner.textContent = `Start-up failed: ${error instanceof Error ? error.message : String(error)}`;
    banner.classList.add('error');
    banner.hidden = false;
  }
});
