// admin/: protos.Admin (status, log levels), local MSP admins only.
export { AdminService, type AdminServiceOptions } from './admin.js';
