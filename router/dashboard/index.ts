/** The live dashboard's route: the built React app at `/`, its assets under `/assets/`. */
export { createDashboardHandler, type DashboardHandler, type DashboardOptions } from './dashboard-handler.js';
export { ensureDashboardBuilt } from './dashboard-build.js';
