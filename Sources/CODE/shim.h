#include <ode/ode.h>
