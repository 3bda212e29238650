package org.fogwerk.web.internal;

import javax.servlet.Filter;
import javax.servlet.http.HttpServlet;

import org.osgi.service.component.annotations.Reference;

/**
 * A servlet of the node's, served only while the login filter is: without the filter the
 * whiteboard would serve it to anyone. The reference is inherited by each servlet component
 * ({@code -dsannotations-options: inherit}).
 */
abstract class GuardedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Not private: Declarative Services sets it on the servlet components, which are subclasses. */
    @Reference(target = AuthFilter.TARGET)
    transient Filter authentication;
}
